# Fuzzing the virtqueue and virtio-blk request parsers (libFuzzer, clang,
# AddressSanitizer + UBSan). Included by the top-level Makefile.
#   make fuzz [FUZZ_SECONDS=600]   run for as long as asked (default 60 s)
#   make fuzz-smoke                a short, bounded round (make test runs it)
# The corpus grows in build/fuzz/corpus; crashes land in build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_CC ?= clang
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_BIN := $(FUZZ_DIR)/fuzz-virtqueue
FUZZ_SRCS := tests/fuzz/fuzz_virtqueue.c devices/virtio/virtqueue.c devices/virtio/virtio_blk_req.c
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -Idevices/virtio \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_RUN := $(FUZZ_BIN) -max_len=16384 -timeout=10 -artifact_prefix=$(FUZZ_DIR)/ \
	-print_final_stats=1

.PHONY: fuzz fuzz-smoke

$(FUZZ_BIN): $(FUZZ_SRCS) devices/virtio/virtqueue.h devices/virtio/virtio_blk_req.h tests/fuzz/fuzz.mk
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRCS)

fuzz: $(FUZZ_BIN)
	$(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS) $(FUZZ_DIR)/corpus tests/fuzz/seeds

# Fixed seed, bounded time, a scratch corpus: the same short round each time.
fuzz-smoke: $(FUZZ_BIN)
	@rm -rf $(FUZZ_DIR)/smoke && mkdir -p $(FUZZ_DIR)/smoke
	$(FUZZ_RUN) -seed=1 -max_total_time=$(FUZZ_SMOKE_SECONDS) $(FUZZ_DIR)/smoke tests/fuzz/seeds
