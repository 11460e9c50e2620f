# jsondiff.jq: --slurpfile want EXPECTED --slurpfile got ACTUAL  ->  for every JSON line that
# differs, which members differ: "line N (frame F): path: expected X, got Y" (at most 8 per line,
# 40 lines of report in all: past a missing line everything is shifted anyway).
def at($p): try getpath($p) catch null;
limit(40;
	range(0; [($want | length), ($got | length)] | max) as $i
	| $want[$i] as $w | $got[$i] as $g
	| select($w != $g)
	| if $w == null then "line \($i + 1) (frame \($g.frame)): not in the golden file"
	elif $g == null then "line \($i + 1) (frame \($w.frame)): missing from the output"
	else
		([($w | paths(scalars)), ($g | paths(scalars))] | unique) as $ps
		| [$ps[] | . as $p | select(($w | at($p)) != ($g | at($p)))] as $diff
		| "line \($i + 1) (frame \($w.frame)): \($diff | length) members differ",
		  ($diff[:8][] | . as $p
			| "  \($p | map(tostring) | join(".")): expected \($w | at($p) | tojson), got \($g | at($p) | tojson)")
	end)
