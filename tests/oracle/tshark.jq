# tshark.jq: tshark -T json --no-duplicate-keys  ->  one TSV row per IKEv2 message:
# frame, index in frame, ispi, rspi, exchange, I flag, R flag, V flag, version, mid, outer payload types,
# notify types, and the inner payload types, notify types and AUTH data of a decrypted SK/SKF
# ("-" if none).
# --no-duplicate-keys turns a repeated key into a list, a single one stays a scalar: arr undoes that.
def arr: if . == null then [] elif type == "array" then . else [.] end;
def hexnum: (. // "") | ascii_downcase | ltrimstr("0x") | explode
	| reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
def spi: (. // "") | gsub(":"; "") | ascii_downcase;
def bit($n): (.["isakmp.flags"] | hexnum) as $f | if (($f / $n | floor) % 2) == 1 then "true" else "false" end;
def notifies: [.[] | select(type == "object") | .["isakmp.notify.msgtype"] | arr | .[]] | join(",");
# the chain tshark decrypted inside an SK or SKF payload of the outer chain
# (decrypted but empty, as a DPD is: no isakmp.enc.contained, an empty chain)
def inner: [.[] | select(type == "object") | .["isakmp.enc.decrypted"] // empty
	| select(type == "object") | .["isakmp.enc.contained"] // {} | select(type == "object")] | first // null;
# AUTH data of a chain, lowercase hex without separators, comma-joined
def auths: [.[] | select(type == "object") | .["isakmp.auth.data"] // empty | gsub(":"; "") | ascii_downcase] | join(",");
def version: (.["isakmp.version"] | hexnum) as $v | "\($v / 16 | floor).\($v % 16)";

.[] | ._source.layers as $l
# an IKE message quoted inside an ICMP error is not a message on the wire
| select(($l.icmp == null) and ($l.icmpv6 == null))
| ($l.frame["frame.number"]) as $frame
| [$l.isakmp | arr | .[] | select(.["isakmp.version"] != null and (.["isakmp.version"] | hexnum) >= 32 and (.["isakmp.version"] | hexnum) < 48)]
| to_entries[]
| .key as $i | .value
# the outer chain: isakmp.typepayload lists the top-level payload types, typepayload_tree their bodies
# (proposals and transforms sit one level deeper and are not in the chain)
| (.["isakmp.typepayload"] | arr) as $types
| (.["isakmp.typepayload_tree"] | arr) as $trees
| [$frame, ($i | tostring), (.["isakmp.ispi"] | spi), (.["isakmp.rspi"] | spi),
   (.["isakmp.exchangetype"] // "" | tostring), bit(8), bit(32), bit(16), version, (.["isakmp.messageid"] | hexnum | tostring),
   ($types | join(",")), ($trees | notifies),
   ($trees | inner | if . == null then "-", "-", "-" else
     ((.["isakmp.typepayload"] | arr | join(",")), (.["isakmp.typepayload_tree"] | arr | notifies),
      (.["isakmp.typepayload_tree"] | arr | auths)) end)]
| @tsv
