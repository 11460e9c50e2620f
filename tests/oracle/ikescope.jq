# ikescope.jq: ikescope dissect --json  ->  the same TSV rows as tshark.jq, for the IKEv2 messages
# (major version 2) of one file: frame, index in frame, ispi, rspi, exchange, I flag, R flag,
# version, mid, outer payload types, notify types.
def arr: if . == null then [] elif type == "array" then . else [.] end;

[inputs | select(.type == "msg" and ((.version // "") | startswith("2.")))]
| group_by(.frame)[]
| to_entries[]
| .key as $i | .value
| [(.frame | tostring), ($i | tostring), .ispi, .rspi, (.exchange_id | tostring),
   (.initiator | tostring), (.response | tostring), .version, (.mid | tostring),
   ([.payloads | arr | .[] | .type_id | tostring] | join(",")),
   ([.payloads | arr | .[] | select(.type_id == 41) | .notify_id | tostring] | join(","))]
| @tsv
