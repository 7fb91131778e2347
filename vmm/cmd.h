/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ELV_CMD_H
#define ELV_CMD_H

int cmd_cpu(int argc, char **argv);
int cmd_ctl(int argc, char **argv);

#endif
