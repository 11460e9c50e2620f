-- rfc8229.lua: IKE over TCP (RFC 8229) for tshark, which (4.0) has no dissector for it: its
-- tcpencap dissector on TCP 4500 is Cisco's IPsec-over-TCP. The stream starts with "IKETCP", then
-- each message is Length(2, counting itself) | 00000000 (non-ESP marker) | IKE message, and each
-- ESP packet Length(2) | ESP. Only the framing is done here: the IKE messages go to tshark's own
-- isakmp dissector, so the oracle still compares ikescope with Wireshark's decoding.
local proto = Proto("ikescope_tcp", "IKE over TCP (RFC 8229 framing)")
local f_length = ProtoField.uint16("ikescope_tcp.length", "Length")
proto.fields = { f_length }

local isakmp = Dissector.get("isakmp")
local esp = Dissector.get("esp")

-- every framed unit is at least 6 bytes: the prefix, or length + marker, or length + ESP SPI
local MIN = 6

local function unit_length(tvb, pinfo, offset)
	if tvb(offset, 6):string() == "IKETCP" then
		return 6
	end
	local n = tvb(offset, 2):uint()
	if n < MIN then
		-- not a length this framing can have: take the rest, never loop
		return tvb:len() - offset
	end
	return n
end

local function dissect_unit(tvb, pinfo, tree)
	if tvb:len() >= 6 and tvb(0, 6):string() == "IKETCP" then
		tree:add(proto, tvb(0, 6), "IKETCP stream prefix")
		return tvb:len()
	end
	local t = tree:add(proto, tvb())
	t:add(f_length, tvb(0, 2))
	if tvb:len() >= 6 and tvb(2, 4):uint() == 0 then
		-- a malformed message must not stop the next ones in the same segment from being decoded
		if tvb:len() > 6 then
			pcall(function() isakmp:call(tvb(6):tvb(), pinfo, tree) end)
		end
	elseif tvb:len() > 2 then
		pcall(function() esp:call(tvb(2):tvb(), pinfo, tree) end)
	end
	return tvb:len()
end

function proto.dissector(tvb, pinfo, tree)
	dissect_tcp_pdus(tvb, tree, MIN, unit_length, dissect_unit, true)
	return tvb:len()
end

-- the ports ikescope reads IKE over TCP on
local tcp_port = DissectorTable.get("tcp.port")
tcp_port:add(4500, proto)
tcp_port:add(500, proto)
