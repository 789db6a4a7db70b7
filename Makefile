# dynemu — build, run, test and benchmark. `make run` and `make test` work on a
# fresh Debian 12 machine as root: missing packages are installed first.

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. -pthread
LDLIBS  := -lmicrohttpd -lcjson -lz -lsodium -lisal -lgmp -lunistring -lpthread
# The binary takes Debian's static libsodium: only the few functions used are
# loaded, which keeps an idle dynemu's resident memory small.
BIN_LDLIBS := -lmicrohttpd -lcjson -lz -Wl,-Bstatic -lsodium -Wl,-Bdynamic -lisal -lgmp -lunistring -lpthread

DEBIAN_PACKAGES := build-essential pkg-config libmicrohttpd-dev libcjson-dev uthash-dev \
                   libcmocka-dev zlib1g-dev libisal-dev libgmp-dev libsodium-dev libunistring-dev python3 python3-boto3 awscli wrk \
                   clang libclang-rt-14-dev

LIB_SRC  := $(wildcard store/*.c assoc/*.c fixtures/*.c emulator/*.c emulator/ops/*.c)
LIB_SRC  := $(filter-out emulator/main.c,$(LIB_SRC))
UNIT_SRC := $(wildcard tests/unit/test_*.c)

B := build
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o)
ASAN_OBJ := $(LIB_SRC:%.c=$(B)/asan/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
ASAN_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/unit-asan/%)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSAN_OBJ := $(LIB_SRC:%.c=$(B)/tsan/%.o)

PORT ?= 8000

# Fuzz targets (tests/fuzz/fuzz_<name>.c): libFuzzer builds with clang for
# `make fuzz`; the same targets linked with a replay driver and gcc's
# sanitizers run the kept corpus once in `make test`.
FUZZ_TARGETS := codec expr fixtures assoc call partiql
FUZZ_SECONDS ?= 60
FUZZ_DEFS := -DFUZZ_SEED='"$(CURDIR)/tests/fuzz/seed.json"'
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(B)/fuzz-replay/fuzz_%)
FUZZ_BIN := $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
FUZZ_OBJ := $(LIB_SRC:%.c=$(B)/fuzzobj/%.o)
FUZZ_CFLAGS := -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I. -pthread -fno-omit-frame-pointer

.PHONY: all deps run test unit unit-asan fuzz-regress oom oom-partiql fuzz fuzz-seed fuzz-merge wire stress soak hostile bench clean
all: $(B)/libdynemu.a $(B)/dynemu

# Installs only what is missing; one apt-get update first (fresh package lists can be empty).
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(B)/obj/%.o: %.c $(wildcard */*.h emulator/ops/*.h) dynemu.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/asan/%.o: %.c $(wildcard */*.h emulator/ops/*.h) dynemu.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SANITIZE) -c $< -o $@

$(B)/tsan/%.o: %.c $(wildcard */*.h emulator/ops/*.h) dynemu.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 -fsanitize=thread -c $< -o $@

$(B)/fuzzobj/%.o: %.c $(wildcard */*.h emulator/ops/*.h) dynemu.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

$(B)/libdynemu.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libdynemu-asan.a: $(ASAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/dynemu: emulator/main.c $(B)/libdynemu.a
	$(CC) $(CFLAGS) $< -o $@ $(B)/libdynemu.a $(BIN_LDLIBS)

# The server under ThreadSanitizer, for the concurrent stress test.
$(B)/tsan/dynemu: emulator/main.c $(TSAN_OBJ)
	$(CC) $(CFLAGS) -O1 -fsanitize=thread $^ -o $@ $(LDLIBS)

$(B)/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libdynemu.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(B)/libdynemu.a $(LDLIBS) -lcmocka

$(B)/unit-asan/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libdynemu-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SANITIZE) $< -o $@ $(B)/libdynemu-asan.a $(LDLIBS) -lcmocka

$(B)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fuzz/requests.h $(B)/libdynemu-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SANITIZE) $(FUZZ_DEFS) tests/fuzz/fuzz_$*.c tests/fuzz/replay.c -o $@ $(B)/libdynemu-asan.a $(LDLIBS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/requests.h $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $(FUZZ_DEFS) $< $(FUZZ_OBJ) -o $@ $(LDLIBS)

run: deps all
	$(B)/dynemu --host 127.0.0.1 --port $(PORT) $(if $(wildcard fixtures/examples/*.json),--fixtures fixtures/examples)

unit: $(UNIT_BIN)
	@/usr/bin/python3 tests/run_units.py $(UNIT_BIN)

unit-asan: $(ASAN_BIN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 /usr/bin/python3 tests/run_units.py $(ASAN_BIN)

# Out of memory at every allocation (tests/oom/oom.c), over the kept fuzz inputs.
OOM_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(B)/oom/oom: tests/oom/oom.c tests/fuzz/requests.h $(B)/libdynemu-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SANITIZE) -DOOM_SEED='"$(CURDIR)/tests/fuzz/seed.json"' $< -o $@ $(OOM_WRAP) \
	  $(B)/libdynemu-asan.a $(LDLIBS)

# make test runs `oom`: fixture loads, association calls, every API operation, reset and
# snapshots. `oom-partiql` runs the PartiQL corpus's statements the same way; it still
# finds SELECTs whose answer differs instead of being refused (see the README).
oom: $(B)/oom/oom
	@ASAN_OPTIONS=detect_leaks=1 $(B)/oom/oom tests/fuzz/corpus/fixtures tests/fuzz/corpus/assoc tests/fuzz/corpus/call

oom-partiql: $(B)/oom/oom
	@ASAN_OPTIONS=detect_leaks=1 $(B)/oom/oom tests/fuzz/corpus/partiql

# The kept corpus of every fuzz target, once, under ASan+UBSan.
fuzz-regress: $(FUZZ_REPLAY)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 bash tests/fuzz/replay_all.sh $(FUZZ_TARGETS)

# Each target for FUZZ_SECONDS with libFuzzer; new inputs go to build/fuzz/corpus-<name>,
# crashes to build/fuzz/crash-<name>-*. `make fuzz-merge` keeps the new coverage in tests/fuzz/corpus.
fuzz: deps $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(B)/fuzz/corpus-$$t tests/fuzz/corpus/$$t; \
	  echo "fuzz_$$t for $(FUZZ_SECONDS) s"; \
	  $(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/dynamodb.dict -max_len=8192 \
	    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=$(B)/fuzz/crash-$$t- \
	    $(B)/fuzz/corpus-$$t tests/fuzz/corpus/$$t 2>&1 | grep -E "^#[0-9]+ +DONE|^stat::(number_of_executed_units|peak_rss)|ERROR|SUMMARY|Test unit written" || true; \
	done; ls $(B)/fuzz/crash-* 2>/dev/null && exit 1 || true

# Seeds from the wire tests' own requests (tests/fuzz/record_corpus.py), kept where they add coverage.
fuzz-seed: all $(FUZZ_BIN)
	@/usr/bin/python3 tests/fuzz/record_corpus.py
	@for t in $(FUZZ_TARGETS); do mkdir -p tests/fuzz/corpus/$$t; \
	  $(B)/fuzz/fuzz_$$t -merge=1 -max_len=65536 tests/fuzz/corpus/$$t $(B)/fuzz/recorded-$$t 2>&1 | tail -1; done

fuzz-merge: $(FUZZ_BIN)
	@for t in $(FUZZ_TARGETS); do \
	  $(B)/fuzz/fuzz_$$t -merge=1 tests/fuzz/corpus/$$t $(B)/fuzz/corpus-$$t 2>&1 | tail -1; \
	done

wire: all
	@/usr/bin/python3 tests/wire/run.py

# Many clients at once against the server built with ThreadSanitizer.
stress: $(B)/tsan/dynemu
	@/usr/bin/python3 tests/stress/run.py $(B)/tsan/dynemu

# dynemu at saturation under wrk for SOAK_SECONDS (tests/soak/run.py): no 5xx,
# no dropped connection, bounded RSS growth. make test runs it for 60 s.
SOAK_SECONDS ?= 600
soak: all
	@/usr/bin/python3 tests/soak/run.py $(SOAK_SECONDS)

# Slow, idle, pipelining, half-closing and malformed clients while a GetItem
# loop's p99 is measured (tests/hostile/run.py).
hostile: all
	@/usr/bin/python3 tests/hostile/run.py

# Unit tests, the same under ASan+UBSan, real clients against a started
# server, then concurrent clients against it under ThreadSanitizer; the last
# line totals them all.
test: deps
	@$(MAKE) --no-print-directory all
	@bash tests/run_all.sh

bench: deps all
	@bash bench/run.sh

clean:
	rm -rf $(B)
