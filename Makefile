# elvisor — one entry point: deps, all, test, demo, shell, bench, clean.
# See README.md and docs/testing.md.
SHELL := /bin/bash
TOP := $(CURDIR)
CACHE := $(TOP)/cache
BUILD := $(TOP)/build
CROSS := aarch64-linux-gnu-
# The emulated host boots Debian's 6.1 (cache/current-abi, also the guests'
# kernel) or 6.12 (cache/current-abi-6.12); both ABIs are resolved by deps.
ABI = $(shell cut -d' ' -f1 $(CACHE)/current-abi 2>/dev/null)
ABI_612 = $(shell cut -d' ' -f1 $(CACHE)/current-abi-6.12 2>/dev/null)
HOST_ABIS = $(ABI) $(ABI_612)
ARM_USR := $(CACHE)/arm64-userland/root
TOML_TEST := $(TOP)/tests/toml/suite
# What runs inside the emulated host: the integration scenarios, their lib.sh
# and the programs they run (api/, vgic/, tools/).
SCENARIOS := tests/integration/scenarios

WARN := -Wall -Wextra -Werror
CFLAGS_COMMON := -std=gnu11 -D_GNU_SOURCE -O2 -g $(WARN) -MMD -MP -Ihyp/core -Ivmm -Ivmm/config -Ilib/toml -Ifdt -Idevices/virtio
HOST_CFLAGS := $(CFLAGS_COMMON)
TGT_CFLAGS := $(CFLAGS_COMMON) -I$(ARM_USR)/usr/include
TGT_LIBS := -L$(ARM_USR)/usr/lib/aarch64-linux-gnu -lfdt -lseccomp -ljansson -lz -lpthread

# Sources that talk to KVM only build for the target; everything else also
# builds natively for the unit tests. The VMM's parts (docs/architecture.md):
# vmm/ with its config layer (vmm/config/), devices/ with all of virtio
# (devices/virtio/: the transport, the devices, and the virtqueue and request
# parsers, which are portable), fdt/ and the TOML parser, a library of its
# own (lib/toml/).
CORE_SRCS := $(wildcard hyp/core/*.c)
VIRTIO_PORTABLE_SRCS := devices/virtio/virtqueue.c devices/virtio/virtio_blk_req.c \
	devices/virtio/virtio_net_frame.c devices/virtio/virtio_9p_msg.c devices/virtio/virtio_vsock_feat.c
VMM_KVM_SRCS := vmm/main.c vmm/kvm.c vmm/vm.c vmm/vcpu.c vmm/gic.c vmm/gic_state.c vmm/pmu.c vmm/api.c vmm/snapshot.c vmm/cpu.c vmm/sandbox.c \
	$(wildcard vmm/cmd_*.c) $(wildcard devices/*.c) \
	$(filter-out $(VIRTIO_PORTABLE_SRCS),$(wildcard devices/virtio/*.c))
VMM_PORTABLE_SRCS := $(filter-out $(VMM_KVM_SRCS),$(wildcard vmm/*.c vmm/config/*.c fdt/*.c lib/*/*.c)) \
	$(VIRTIO_PORTABLE_SRCS)
TGT_OBJS := $(patsubst %.c,$(BUILD)/aarch64/obj/%.o,$(CORE_SRCS) $(VMM_PORTABLE_SRCS) $(VMM_KVM_SRCS))
HOST_LIB_OBJS := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(CORE_SRCS) $(VMM_PORTABLE_SRCS))
UNIT_OBJS := $(patsubst %.c,$(BUILD)/host/obj/%.o,$(wildcard tests/unit/*.c))
# Native tools linked with the VMM library (host-tools); their .d files are included below.
HOST_TOOL_OBJS := $(BUILD)/host/obj/tests/toml/toml-decode.o $(BUILD)/host/obj/tests/install/profile-probe.o
GUEST_INIT_SRCS := $(wildcard guest/init/*.c)

.PHONY: install install-test all deps vmm module guest baremetal api-tools fuzz-hyp selftests selftests-full host-tools unit toml-test integration test test-full mutants demo shell bench clean host-image debug-kernel test-debug test-lkvm
.DEFAULT_GOAL := all

all: vmm module guest api-tools selftests host-tools

deps:
	@scripts/deps.sh

# Everything below needs the resolved kernel ABI.
$(CACHE)/current-abi:
	@scripts/deps.sh

vmm: $(BUILD)/aarch64/elvisor

$(BUILD)/aarch64/elvisor: $(TGT_OBJS) | $(CACHE)/current-abi
	@echo "  LINK    $@"
	@$(CROSS)gcc -static -o $@ $^ $(TGT_LIBS)

$(BUILD)/aarch64/obj/%.o: %.c | $(CACHE)/current-abi
	@mkdir -p $(dir $@)
	@echo "  CC      $< (aarch64)"
	@$(CROSS)gcc $(TGT_CFLAGS) -c -o $@ $<

$(BUILD)/host/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (host)"
	@gcc $(HOST_CFLAGS) -c -o $@ $<

# The kernel module, one per host kernel ABI (build/kernel/<abi>/).
module: $(CACHE)/current-abi
	@for abi in $(HOST_ABIS); do scripts/host-kernel.sh $$abi || exit 1; done

# Guest side: the test init (static arm64) packed with busybox.
guest: $(BUILD)/aarch64/guest-initramfs.cpio $(BUILD)/aarch64/runas-nobody $(BUILD)/aarch64/bootbench $(BUILD)/aarch64/hoststate baremetal

# Bare-metal EL1 payloads (arm64 Image header, report over the UART).
BM_SRCS := $(wildcard guest/baremetal/*)
baremetal: $(BUILD)/aarch64/.baremetal-stamp
$(BUILD)/aarch64/.baremetal-stamp: $(BM_SRCS) | $(CACHE)/current-abi
	@echo "  BM      guest/baremetal -> $(BUILD)/aarch64/bm-*.bin"
	@guest/baremetal/build.sh $(BUILD)/aarch64
	@touch $@

# The KVM API test programs (tests/integration/scenarios/api), run inside the
# emulated host.
# Their UAPI shim is the VMM's, on hyp/core's numbers.
API_HDRS := $(SCENARIOS)/api/kvm_compat.h vmm/kvm_compat.h hyp/core/uapi.h hyp/core/elv_base.h $(SCENARIOS)/api/api_util.h
API_TOOLS := $(BUILD)/aarch64/api-reglist $(BUILD)/aarch64/api-test $(BUILD)/aarch64/api-stress \
	$(BUILD)/aarch64/vgic-test $(BUILD)/aarch64/api-idmasks $(BUILD)/aarch64/api-fuzz
API_TOOLS += $(BUILD)/aarch64/api-manyvms $(BUILD)/aarch64/api-stats
API_TOOLS += $(BUILD)/aarch64/api-dirtylog $(BUILD)/aarch64/api-pvtime $(BUILD)/aarch64/api-pmu
API_TOOLS += $(BUILD)/aarch64/api-dirtylog $(BUILD)/aarch64/api-gdebug
api-tools: $(API_TOOLS)

# One recipe for every API tool (static aarch64; -pthread is harmless for
# the single-threaded ones).
define api_tool
	@mkdir -p $(dir $@)
	@echo "  CC      $< (aarch64)"
	@$(CROSS)gcc -static -O2 $(WARN) -pthread -o $@ $<
endef

$(BUILD)/aarch64/api-reglist: $(SCENARIOS)/api/reglist.c $(API_HDRS) | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-test: $(SCENARIOS)/api/apitest.c $(API_HDRS) $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-idmasks: $(SCENARIOS)/api/idmasks.c $(API_HDRS) | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-stress: $(SCENARIOS)/api/stress.c $(API_HDRS) | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-fuzz: $(SCENARIOS)/api/fuzz.c $(API_HDRS) | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-manyvms: $(SCENARIOS)/api/manyvms.c $(API_HDRS) | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-stats: $(SCENARIOS)/api/stats.c $(API_HDRS) $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-gdebug: $(SCENARIOS)/api/gdebug.c $(API_HDRS) $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-dirtylog: $(SCENARIOS)/api/dirtylog.c $(API_HDRS) $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-pvtime: $(SCENARIOS)/api/pvtime.c $(API_HDRS) $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	$(api_tool)

$(BUILD)/aarch64/api-pmu: $(SCENARIOS)/api/pmu.c $(API_HDRS) $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	$(api_tool)

# A longer concurrent fuzzing round of the KVM API (scenarios/api/fuzz.c,
# run-fuzz.sh) on one host, with the freshly built api-fuzz and elvisor.ko:
#   make fuzz-hyp [SECONDS=600] [HOST=elvisor-6.1] [SEED=n] [THREADS=4]
# HOST: any of scripts/host-run.sh's (elvisor-6.12, kvm-6.1...; elvisor-debug
# once make test-debug has built its kernel: elvisor.ko is built against it).
SECONDS ?= 600
HOST ?= elvisor-6.1
THREADS ?= 4
fuzz-hyp: module $(BUILD)/aarch64/api-fuzz
	@case $(HOST) in *-6.12) abi=$(ABI_612) ;; *-debug) abi=$(DEBUG_ABI) ;; *) abi=$(ABI) ;; esac; \
	case $(HOST) in *-debug) tree=$$(scripts/debug-kernel.sh dir) && \
		scripts/host-kernel.sh --kdir "$$tree" $(DEBUG_ABI) || exit 1 ;; esac; \
	d=$(BUILD)/fuzz-hyp; rm -rf $$d; mkdir -p $$d $(BUILD)/test-logs; \
	cp $(BUILD)/aarch64/api-fuzz $$d/; \
	case $(HOST) in elvisor-*) [ -f $(BUILD)/kernel/$$abi/elvisor.ko ] && cp $(BUILD)/kernel/$$abi/elvisor.ko $$d/ ;; esac; \
	echo 'FUZZ_ARGS="-t $(SECONDS) -j $(THREADS)$(if $(SEED), -s $(SEED))"' > $$d/fuzz.env; \
	log=$(BUILD)/test-logs/fuzz-hyp-$(HOST).log; \
	scripts/host-run.sh --host $(HOST) --timeout $$(($(SECONDS) * 2 + 900)) --log $$log \
		$(SCENARIOS)/api/run-fuzz.sh $(SCENARIOS)/lib.sh $$d/* > /dev/null; st=$$?; \
	tr -d '\r' < $$log | grep -E '^(ok|FAIL|SKIP|#) |passed,'; echo "log: $$log"; exit $$st

$(BUILD)/aarch64/vgic-test: $(SCENARIOS)/vgic/vgictest.c $(SCENARIOS)/tools/check_report.h | $(CACHE)/current-abi
	@echo "  CC      $< (aarch64)"
	@$(CROSS)gcc -static -O2 $(WARN) -o $@ $<

# Linux's own KVM selftests, one build per host kernel series (6.1, 6.12;
# Debian's linux-source of each host kernel's version), cross-built
# statically into build/kernel/<abi>/kvm-selftests.
selftests: $(CACHE)/current-abi
	@tests/selftests/build.sh build

# Every selftest on the four hosts (make test runs the quick subsets), or on
# SELFTEST_HOSTS="kvm-6.12 elvisor-6.12", say.
SELFTEST_HOSTS ?= kvm-6.1 elvisor-6.1 kvm-6.12 elvisor-6.12
selftests-full: deps
	@$(MAKE) --no-print-directory host-image
	@mkdir -p $(BUILD)/test-logs && echo SELFTESTS=all > $(BUILD)/selftests.env
	@for h in $(SELFTEST_HOSTS); do \
		scripts/host-run.sh --host $$h --timeout 3600 --log $(BUILD)/test-logs/$$h-selftests.log \
			tests/selftests/selftests.sh $(SCENARIOS)/lib.sh $(BUILD)/selftests.env | grep -E '^(ok|FAIL|SKIP) '; \
	done
	@tests/selftests/compare.sh --doc docs/testing.md

# Small static tools the in-host scenarios use.
$(BUILD)/aarch64/%: $(SCENARIOS)/tools/%.c | $(CACHE)/current-abi
	@mkdir -p $(dir $@)
	$(CROSS)gcc -static -std=gnu11 -D_GNU_SOURCE -O2 $(WARN) -o $@ $<

$(BUILD)/aarch64/elv-report: $(GUEST_INIT_SRCS) | $(CACHE)/current-abi
	@mkdir -p $(dir $@)
	$(CROSS)gcc -static -std=gnu11 -O2 $(WARN) -o $@ $(GUEST_INIT_SRCS)

# Tools that run inside guests (and in the host beside them, for ratios).
$(BUILD)/aarch64/elv-iobench: guest/tools/iobench.c | $(CACHE)/current-abi
	@mkdir -p $(dir $@)
	@echo "  CC      $< (aarch64)"
	@$(CROSS)gcc -static -std=gnu11 -D_GNU_SOURCE -O2 $(WARN) -o $@ $<

$(BUILD)/aarch64/elv-vsock: guest/tools/vsock.c | $(CACHE)/current-abi
	@mkdir -p $(dir $@)
	@echo "  CC      $< (aarch64)"
	@$(CROSS)gcc -static -std=gnu11 -D_GNU_SOURCE -O2 $(WARN) -o $@ $<

# The profile check (vmm/guest_expect.h), on hyp/core's ID register tables.
IDCHECK_OBJS := $(BUILD)/aarch64/obj/vmm/guest_expect.o $(BUILD)/aarch64/obj/vmm/err.o $(patsubst %.c,$(BUILD)/aarch64/obj/%.o,$(CORE_SRCS))
$(BUILD)/aarch64/elv-idcheck: $(BUILD)/aarch64/obj/guest/tools/idcheck.o $(IDCHECK_OBJS) | $(CACHE)/current-abi
	@echo "  LINK    $@"
	@$(CROSS)gcc -static -o $@ $^

$(BUILD)/aarch64/guest-initramfs.cpio: $(BUILD)/aarch64/elv-report $(BUILD)/aarch64/elv-iobench $(BUILD)/aarch64/elv-idcheck $(BUILD)/aarch64/elv-vsock guest/init/init.sh scripts/guest-image.sh $(CACHE)/current-abi $(CACHE)/kernel/$(ABI)/.complete
	@echo "  GUEST   $@"
	@scripts/guest-image.sh $@ $(BUILD)/aarch64/elv-report $(BUILD)/aarch64/elv-iobench $(BUILD)/aarch64/elv-idcheck $(BUILD)/aarch64/elv-vsock

host-tools: $(BUILD)/host/toml-decode $(BUILD)/host/json-equal $(BUILD)/host/unit-tests $(BUILD)/host/profile-probe

$(BUILD)/host/json-equal: tests/toml/json-equal.c
	@mkdir -p $(dir $@)
	gcc -std=gnu11 -O2 $(WARN) -o $@ $<

$(BUILD)/host/toml-decode: $(word 1,$(HOST_TOOL_OBJS)) $(HOST_LIB_OBJS)
	@echo "  LINK    $@"
	@gcc -o $@ $^ -lfdt -ljansson -lz -lseccomp

$(BUILD)/host/unit-tests: $(UNIT_OBJS) $(HOST_LIB_OBJS)
	@echo "  LINK    $@"
	@gcc -o $@ $^ -lcriterion -lfdt -ljansson -lz -lseccomp

# The VMM's config loader, run from an installed bin/ by tests/install/run.sh.
$(BUILD)/host/profile-probe: $(word 2,$(HOST_TOOL_OBJS)) $(HOST_LIB_OBJS)
	@echo "  LINK    $@"
	@gcc -o $@ $^ -lfdt -ljansson -lz -lseccomp

# The emulated host's initramfs, one per host kernel ABI.
host-image: all
	@for d in $(BUILD)/host-image/* $(BUILD)/kernel/*; do \
		case " $(HOST_ABIS) $(DEBUG_ABI) " in *" $${d##*/} "*) ;; *) [ -d "$$d" ] && rm -rf "$$d";; esac; \
	done; true
	@for abi in $(HOST_ABIS); do \
		echo "  IMAGE   build/host-image/$$abi/base.cpio"; \
		scripts/host-image.sh $$abi || exit 1; \
	done

unit: host-tools
	$(BUILD)/host/unit-tests --jobs 2

toml-test: $(BUILD)/host/toml-decode
	tests/toml/run-toml-test.sh $(TOML_TEST) $(BUILD)/host/toml-decode

integration: host-image
	tests/integration/run.sh

test: deps
	@$(MAKE) --no-print-directory host-image
	@tests/run-all.sh

# make test plus the rest of the host x group matrix (docs/testing.md), then
# make test-debug's groups on the debug kernel; fails if either fails.
test-full: deps
	@$(MAKE) --no-print-directory host-image
	@ELV_TEST_FULL=1 tests/run-all.sh; full=$$?; \
		scripts/test-debug.sh; debug=$$?; [ $$full = 0 ] && [ $$debug = 0 ]

# Mutation testing (docs/testing.md, "Mutation testing"): each deliberate bug
# of tests/mutants/ applied alone in a scratch copy of HEAD (ELV_MUTANTS_DIR,
# default /tmp/elv-mutants-$USER) must fail the tests its file names.
#   make mutants [MUTANTS="03-stage2-skip-tlb-flush 16-kmod-vcpu-leak"]
mutants: deps
	@tests/mutants/run.sh $(MUTANTS)

# The debug (sanitizer) 6.1 host kernel (scripts/debug-kernel.sh, cached in
# cache/debug-kernel/), and elvisor.ko's groups on it with every console
# scanned for KASAN/KFENCE/lockdep/RCU/UBSAN/WARN/BUG reports
# (scripts/test-debug.sh; docs/testing.md, "Debug kernel").
DEBUG_ABI := 6.1-debug
debug-kernel: $(CACHE)/current-abi
	@scripts/debug-kernel.sh build

test-debug: deps
	@$(MAKE) --no-print-directory all
	@scripts/test-debug.sh

demo: deps
	@$(MAKE) --no-print-directory host-image
	@demo/run.sh

shell: deps
	@$(MAKE) --no-print-directory host-image
	@scripts/host-run.sh --interactive demo/shell.sh $(SCENARIOS)/lib.sh

# make bench [BENCH="boot exits irq blk lkvm"] [LKVM=/path/to/lkvm-static]:
# LKVM adds elvisor/kvmtool ratios (docs/performance.md); without it, a SKIP.
bench: deps
	@$(MAKE) --no-print-directory host-image
	LKVM="$(LKVM)" bench/run.sh $(BENCH)

# make test-lkvm LKVM=/path/to/lkvm-static: unmodified kvmtool (an arm64
# static build of it, made outside this tree) on the four hosts
# (tests/integration/scenarios/lkvm.sh, docs/compat.md).
test-lkvm: deps
	@[ -n "$(LKVM)" ] && [ -x "$(LKVM)" ] || { echo "make test-lkvm needs LKVM=/path/to/lkvm-static (an arm64 static build of kvmtool; docs/compat.md)"; exit 2; }
	@$(MAKE) --no-print-directory all host-image
	@cp "$(LKVM)" $(BUILD)/lkvm-static
	@ELV_EXTRA_FILES="$(BUILD)/lkvm-static" tests/integration/run.sh kvm-6.1:lkvm.sh kvm-6.12:lkvm.sh elvisor-6.1:lkvm.sh elvisor-6.12:lkvm.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: the VMM, its profiles (found
# relative to the binary, docs/config.md), the man pages, and elvisor.ko's
# source with a dkms.conf in PREFIX/src/elvisor-VERSION (what DKMS builds).
PREFIX ?= /usr/local
ELV_VERSION := $(shell sed -n 's/^\#define ELVISOR_VERSION "\(.*\)"/\1/p' vmm/main.c)
MAN_PAGES := $(wildcard man/*.[1-9])
KMOD_SRCS := hyp/Kbuild $(wildcard hyp/*/*.[chS])
KMOD_DEST = $(DESTDIR)$(PREFIX)/src/elvisor-$(ELV_VERSION)
install: vmm
	install -D -m 0755 $(BUILD)/aarch64/elvisor $(DESTDIR)$(PREFIX)/bin/elvisor
	install -d $(DESTDIR)$(PREFIX)/share/elvisor/profiles
	install -m 0644 configs/profiles/*.toml $(DESTDIR)$(PREFIX)/share/elvisor/profiles/
	@for p in $(MAN_PAGES); do s=$${p##*.}; \
		echo "install -D -m 0644 $$p $(DESTDIR)$(PREFIX)/share/man/man$$s/$${p##*/}"; \
		install -D -m 0644 $$p $(DESTDIR)$(PREFIX)/share/man/man$$s/$${p##*/} || exit 1; done
	@echo "install -D -m 0644 hyp/Kbuild hyp/*/*.[chS] $(KMOD_DEST)/"
	@for f in $(KMOD_SRCS); do install -D -m 0644 $$f $(KMOD_DEST)/$${f#hyp/} || exit 1; done
	@printf '%s\n' 'PACKAGE_NAME="elvisor"' 'PACKAGE_VERSION="$(ELV_VERSION)"' \
		'BUILT_MODULE_NAME[0]="elvisor"' 'DEST_MODULE_LOCATION[0]="/updates/dkms"' \
		'MAKE[0]="make -C $${kernel_source_dir} M=$${dkms_tree}/$${PACKAGE_NAME}/$${PACKAGE_VERSION}/build modules"' \
		'CLEAN="make -C $${kernel_source_dir} M=$${dkms_tree}/$${PACKAGE_NAME}/$${PACKAGE_VERSION}/build clean"' \
		'BUILD_EXCLUSIVE_ARCH="aarch64"' 'AUTOINSTALL="yes"' > $(KMOD_DEST)/dkms.conf

# The man pages and make install, natively (tests/install/run.sh).
install-test: host-tools
	@tests/install/run.sh

clean:
	rm -rf $(BUILD)

# Fuzzing targets (make fuzz) live with the fuzzers.
-include tests/fuzz/fuzz.mk

-include $(TGT_OBJS:.o=.d) $(HOST_LIB_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(HOST_TOOL_OBJS:.o=.d)
