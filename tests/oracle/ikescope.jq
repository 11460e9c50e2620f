# ikescope.jq: ikescope dissect --json  ->  the same TSV rows as tshark.jq, for the IKEv2 messages
# (major version 2) of one file: frame, index in frame, ispi, rspi, exchange, I flag, R flag, V flag,
# version, mid, outer payload types, notify types, and the inner payload types and notify types of
# a decrypted SK/SKF and its AUTH data ("-" if none).
def arr: if . == null then [] elif type == "array" then . else [.] end;
def types: [.[] | .type_id | tostring] | join(",");
def notifies: [.[] | select(.type_id == 41) | .notify_id | tostring] | join(",");
def auths: [.[] | select(.type_id == 39) | .data] | join(",");
# the decrypted chain an SK or SKF payload carries
def inner: [.[] | select(.type_id == 46 or .type_id == 53) | .payloads // empty] | first // null;

[inputs | select(.type == "msg" and ((.version // "") | startswith("2.")))]
| group_by(.frame)[]
| to_entries[]
| .key as $i | .value
| [(.frame | tostring), ($i | tostring), .ispi, .rspi, (.exchange_id | tostring),
   (.initiator | tostring), (.response | tostring), (((.flags / 16) | floor) % 2 == 1 | tostring), .version, (.mid | tostring),
   (.payloads | arr | types), (.payloads | arr | notifies),
   (.payloads | arr | inner | if . == null then "-", "-", "-" else (arr | types), (arr | notifies), (arr | auths) end)]
| @tsv
