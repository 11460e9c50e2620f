# The two commands of the README (make demo, make test) and the capture lab; meson.build is the build.

# the lab scenario make demo diagnoses: change it here only. Its three captures (router, ISP tap,
# peer), both charon logs and the exported keys go to `ikescope correlate`, the tool's main job.
DEMO_SCENARIO ?= captures/dpd-lost-toward-peer
DEMO_ARGS     = -r $(DEMO_SCENARIO)/local.pcap -r $(DEMO_SCENARIO)/isp.pcap -r $(DEMO_SCENARIO)/peer.pcap \
	-l $(DEMO_SCENARIO)/local.log -l $(DEMO_SCENARIO)/peer.log -k $(DEMO_SCENARIO)/ikev2_decryption_table
BUILD        ?= build
ASAN_BUILD   ?= build-asan
IKESCOPE      = $(BUILD)/src/cli/ikescope

SANITIZE_OPTS = -Db_sanitize=address,undefined -Db_lundef=false
SANITIZE_ENV  = ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# libFuzzer build: clang, the library instrumented for the fuzzer and sanitized, and
# IKESCOPE_FUZZING so that the decrypt target gets past the ICV (never in another build)
FUZZ_BUILD   ?= build-fuzz
FUZZ_OPTS     = -Db_sanitize=address,undefined -Db_lundef=false \
	'-Dc_args=-fsanitize=fuzzer-no-link -DIKESCOPE_FUZZING'
FUZZ_TARGETS  = payload message decrypt transport pcap log keyfile tracker config

# configure DIR OPTIONS: meson setup the first time, then reconfigure (which picks up new captures);
# warnings are errors in every build
configure = { mkdir -p $(1) && \
	if [ -f $(1)/meson-private/coredata.dat ]; then set -- --reconfigure; else set --; fi && \
	{ meson setup "$$@" $(1) -Dwerror=true $(2) >$(1)/setup.log 2>&1 || { cat $(1)/setup.log; false; }; }; }

# suite DIR OPTIONS ENV TEST_OPTIONS: configure, build, run every test suite (unit, golden, oracle,
# lab); carries on after a failure so that the tally below sees it
suite = rm -f $(1)/meson-logs/testlog.json; \
	{ $(call configure,$(1),$(2)) && ninja -C $(1) && \
	env $(3) meson test -C $(1) --print-errorlogs $(4); } || true

# tally DIR...: the closing line, over meson's testlog.json of each DIR; a DIR without one (it did
# not configure or build) counts as one failure, and so does a run without any test
tally = for d in $(1); do \
		if [ -f $$d/meson-logs/testlog.json ]; then jq -r .result $$d/meson-logs/testlog.json; \
		else echo "$$d: no test ran" >&2; echo NOT-RUN; fi; \
	done | awk '/^(OK|EXPECTEDFAIL)$$/ { p++; next } { f++ } \
		END { if (p + f == 0) f = 1; printf "%d passed, %d failed\n", p, f; exit f > 0 }'

.PHONY: all demo test captures deps build fuzz fuzz-build

all: build

deps:
	@sh tests/setup-deps.sh

build: deps
	@$(call configure,$(BUILD))
	ninja -C $(BUILD)

demo: build
	@test -f $(DEMO_SCENARIO)/local.pcap || { echo "demo: $(DEMO_SCENARIO)/local.pcap not found (see captures/)"; exit 1; }
	@echo "\$$ ikescope correlate $(DEMO_ARGS)"
	@$(IKESCOPE) correlate $(DEMO_ARGS)

# every suite, then the same again built with AddressSanitizer and UBSan, then each fuzz target
# for 60 s (tests/fuzz/meson.build); the last line is the sum
test: deps
	@$(call suite,$(BUILD))
	@$(call suite,$(ASAN_BUILD),$(SANITIZE_OPTS),$(SANITIZE_ENV),--timeout-multiplier 3)
	@$(fuzz_suite)
	@$(call tally,$(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD))

# configures and builds the fuzz targets only (they need clang; tests/fuzz/meson.build)
fuzz-build: deps
	@CC=clang; export CC; $(call configure,$(FUZZ_BUILD),$(FUZZ_OPTS))
	ninja -C $(FUZZ_BUILD) tests/fuzz/fuzz_seeds $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%)

# runs every fuzz target for its fixed time from fresh seeds; a crash, leak or sanitizer report fails it
fuzz_suite = rm -f $(FUZZ_BUILD)/meson-logs/testlog.json; \
	{ $(MAKE) --no-print-directory fuzz-build && \
	meson test -C $(FUZZ_BUILD) --no-rebuild --print-errorlogs --suite fuzz; } || true

fuzz:
	@$(fuzz_suite)
	@$(call tally,$(FUZZ_BUILD))

captures: deps
	captures/lab/lab.sh all
