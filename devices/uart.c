// SPDX-License-Identifier: GPL-2.0
/*
 * A 16550A UART at MMIO (register shift 0), the guest's serial console.
 * Transmission is instantaneous, so THR is always empty: the THRE
 * interrupt is raised again after every write and cleared by reading IIR.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "guest_fdt.h"
#include "log.h"
#include "memmap.h"
#include "vm.h"

enum uart_reg { UART_RBR_THR, UART_IER, UART_IIR_FCR, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR };

#define IER_ERBFI	0x01	/* receive data available */
#define IER_ETBEI	0x02	/* transmitter holding register empty */
#define IIR_NONE	0x01
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_FIFO	0xc0
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define LCR_DLAB	0x80
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_DEFAULT	0xb0	/* DCD, DSR, CTS */
#define UART_CLOCK	1843200
#define RX_SIZE		4096

struct uart {
	struct vm *vm;
	pthread_mutex_t lock;
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thre_pending;
	int irq_level;
	uint8_t rx[RX_SIZE];
	unsigned int rx_head, rx_count;
	int out_fd;
};

static struct uart uart0;

static void uart__update_irq(struct uart *u)
{
	int level = ((u->ier & IER_ERBFI) && u->rx_count) ||
		    ((u->ier & IER_ETBEI) && u->thre_pending);

	if (level != u->irq_level) {
		u->irq_level = level;
		vm__irq_line(u->vm, MEMMAP_SPI_UART, level);
	}
}

static uint8_t uart__iir(struct uart *u)
{
	uint8_t fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO : 0;

	if ((u->ier & IER_ERBFI) && u->rx_count)
		return fifo | IIR_RDA;
	if ((u->ier & IER_ETBEI) && u->thre_pending) {
		u->thre_pending = false;	/* reading IIR acknowledges THRE */
		return fifo | IIR_THRE;
	}
	return fifo | IIR_NONE;
}

static uint8_t uart__rx_pop(struct uart *u)
{
	uint8_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % RX_SIZE;
	u->rx_count--;
	return c;
}

static void uart__rx_push(struct uart *u, uint8_t c)
{
	if (u->rx_count == RX_SIZE)
		return;	/* overrun: the byte is lost, as on hardware */
	u->rx[(u->rx_head + u->rx_count) % RX_SIZE] = c;
	u->rx_count++;
}

static void uart__transmit(struct uart *u, uint8_t c)
{
	if (u->mcr & MCR_LOOP) {
		uart__rx_push(u, c);
	} else {
		/* A closed console must not stop the guest. */
		(void)!write(u->out_fd, &c, 1);
	}
	u->thre_pending = true;
}

static uint8_t uart__read(struct uart *u, unsigned int reg)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR: return dlab ? u->dll : uart__rx_pop(u);
	case UART_IER: return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR: return uart__iir(u);
	case UART_LCR: return u->lcr;
	case UART_MCR: return u->mcr;
	case UART_LSR: return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case UART_MSR: return MSR_DEFAULT;
	case UART_SCR: return u->scr;
	}
	return 0;
}

static void uart__write(struct uart *u, unsigned int reg, uint8_t v)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			u->dll = v;
		else
			uart__transmit(u, v);
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = v;
			break;
		}
		/* Enabling ETBEI with THR empty raises THRE at once. */
		if ((v & IER_ETBEI) && !(u->ier & IER_ETBEI))
			u->thre_pending = true;
		u->ier = v & 0x0f;
		break;
	case UART_IIR_FCR:
		u->fcr = v;
		if (v & FCR_CLEAR_RX)
			u->rx_count = 0;
		break;
	case UART_LCR: u->lcr = v; break;
	case UART_MCR: u->mcr = v; break;
	case UART_SCR: u->scr = v; break;
	}
}

static void uart__mmio(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		       bool is_write)
{
	struct uart *u = opaque;

	pthread_mutex_lock(&u->lock);
	if (len != 1 && !is_write)
		memset(data, 0, len);
	if (is_write)
		uart__write(u, offset & 7, data[0]);
	else
		data[0] = uart__read(u, offset & 7);
	uart__update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static void uart__console_in(void *opaque, const uint8_t *buf, unsigned int len)
{
	struct uart *u = opaque;

	pthread_mutex_lock(&u->lock);
	for (unsigned int i = 0; i < len; i++)
		uart__rx_push(u, buf[i]);
	uart__update_irq(u);
	pthread_mutex_unlock(&u->lock);
}

static int uart__fdt(void *fdt, void *opaque)
{
	char name[32];
	int ret;

	(void)opaque;
	snprintf(name, sizeof(name), "uart@%llx", (unsigned long long)MEMMAP_UART_BASE);
	ret = fdt_begin_node(fdt, name);
	if (!ret)
		ret = fdt_property_string(fdt, "compatible", "ns16550a");
	if (!ret)
		ret = fdt__prop_reg(fdt, MEMMAP_UART_BASE, MEMMAP_UART_SIZE);
	if (!ret)
		ret = fdt__prop_irq(fdt, FDT_IRQ_SPI, MEMMAP_SPI_UART, FDT_IRQ_LEVEL_HIGH);
	if (!ret)
		ret = fdt_property_cell(fdt, "clock-frequency", UART_CLOCK);
	if (!ret)
		ret = fdt_end_node(fdt);
	return ret;
}

static int uart__init(struct vm *vm, char *err, size_t errlen)
{
	struct uart *u = &uart0;
	int ret;

	if (vm->cfg->console != CONSOLE_SERIAL)
		return 0;
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	u->vm = vm;
	u->out_fd = STDOUT_FILENO;
	ret = mmio__register(vm, MEMMAP_UART_BASE, MEMMAP_UART_SIZE, uart__mmio, u);
	if (!ret)
		ret = vm__add_fdt_hook(vm, uart__fdt, u);
	if (ret)
		return err__set(err, errlen, "uart: cannot claim its MMIO window or FDT node: %s",
				ret < -1 ? strerror(-ret) : "error");
	vm__set_console_input(vm, uart__console_in, u);
	return 0;
}

device_init("uart", DEVICE_PRIO_DEVICE, uart__init, NULL);

/* Snapshot: the registers and what waits in the receive buffer (docs/snapshot.md). */
static int uart__save(struct vm *vm, json_t *out, char *err, size_t errlen)
{
	struct uart *u = &uart0;
	char rx[2 * RX_SIZE + 1];
	json_t *o;

	if (vm->cfg->console != CONSOLE_SERIAL)
		return 0;
	pthread_mutex_lock(&u->lock);
	for (unsigned int i = 0; i < u->rx_count; i++)
		sprintf(rx + 2 * i, "%02x", u->rx[(u->rx_head + i) % RX_SIZE]);
	rx[2 * u->rx_count] = 0;
	o = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:i, s:s}",
		      "ier", u->ier, "lcr", u->lcr, "mcr", u->mcr, "scr", u->scr,
		      "fcr", u->fcr, "dll", u->dll, "dlm", u->dlm,
		      "thre_pending", u->thre_pending, "irq_level", u->irq_level, "rx", rx);
	pthread_mutex_unlock(&u->lock);
	if (!o || json_object_set_new(out, "uart", o)) {
		return err__set(err, errlen, "uart: out of memory");
	}
	return 0;
}

device_state_hook("uart", uart__save);
