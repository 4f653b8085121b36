// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The kernel-object commands crash and drgn users reach for first: print,
 * ptype, whatis and rd.  Expressions are the rest of the line, so that
 * "print (struct page *)0x... ->flags" needs no quoting.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* argv joined by spaces: the expression as typed. */
static char *join(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	*s = '\0';
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static bool is_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	return !*s;
}

static int remember(struct cli *cli, const struct po_object *obj)
{
	if (cli->nr_history == cli->cap_history) {
		size_t cap = cli->cap_history ? cli->cap_history * 2 : 16;
		struct po_object *h = realloc(cli->history, cap * sizeof(*h));

		if (!h)
			return -1;
		cli->history = h;
		cli->cap_history = cap;
	}
	cli->history[cli->nr_history++] = *obj;
	return 0;
}

static int out_of_memory(void)
{
	fputs("pageowner: out of memory\n", stderr);
	return 2;
}

static int usage(const char *text)
{
	fprintf(stderr, "pageowner: usage: %s\n", text);
	return 2;
}

/* print [-x|-d|-o] EXPR: "NAME = $N = VALUE" for a symbol, as crash. */
int cmd_print(struct cli *cli, int argc, char **argv)
{
	struct po_print_options opt = { .radix = cli->radix };
	struct po_object obj;
	struct po_error *err;
	char label[300], *expr;

	for (; argc && argv[0][0] == '-' && argv[0][1] && !argv[0][2];
	     argc--, argv++) {
		const char *p = strchr("xdo", argv[0][1]);

		if (!p)
			break;
		opt.radix = (int[]){ 16, 10, 8 }[p - "xdo"];
	}
	if (!argc)
		return usage("print [-x|-d|-o] EXPR");
	expr = join(argc, argv);
	if (!expr)
		return out_of_memory();
	err = po_eval(cli->prog, expr, cli->history, cli->nr_history, &obj);
	if (!err) {
		size_t n = cli->nr_history + 1;

		if (is_identifier(expr) && strlen(expr) < 256)
			snprintf(label, sizeof(label), "%s = $%zu", expr, n);
		else
			snprintf(label, sizeof(label), "$%zu", n);
		opt.label = label;
		err = po_object_print(cli->prog, &obj, &opt, cli->out);
	}
	free(expr);
	if (err)
		return cli_error(err);
	return remember(cli, &obj) ? 2 : 0;
}

static int type_command(struct cli *cli, int argc, char **argv, bool whatis)
{
	struct po_error *err;
	char *text;

	if (!argc)
		return usage(whatis ? "whatis TYPE|EXPR" : "ptype TYPE|EXPR");
	text = join(argc, argv);
	if (!text)
		return out_of_memory();
	err = po_ptype(cli->prog, text, cli->history, cli->nr_history, whatis,
		       cli->out);
	free(text);
	return err ? cli_error(err) : 0;
}

int cmd_ptype(struct cli *cli, int argc, char **argv)
{
	return type_command(cli, argc, argv, false);
}

int cmd_whatis(struct cli *cli, int argc, char **argv)
{
	return type_command(cli, argc, argv, true);
}

/* rd's address: a number, else an expression (its address if it is an
 * object in memory, as crash's "rd jiffies", else its value). */
static struct po_error *rd_address(struct cli *cli, const char *text,
				   uint64_t *ret)
{
	struct po_object obj;
	struct po_error *err;

	if (!cli_parse_u64(text, ret))
		return NULL;
	err = po_eval(cli->prog, text, cli->history, cli->nr_history, &obj);
	if (err)
		return err;
	if (obj.kind == PO_OBJ_REFERENCE) {
		*ret = obj.address;
		return NULL;
	}
	*ret = obj.value;
	return NULL;
}

static const char rd_usage[] = "rd [-p] [-8|-16|-32|-64] ADDR|EXPR [COUNT]";

int cmd_rd(struct cli *cli, int argc, char **argv)
{
	struct po_rd_options opt = { .unit = 8, .count = 1 };
	struct po_error *err;
	uint64_t addr, bits;

	for (; argc && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "-p"))
			opt.phys = true;
		else if (!cli_parse_u64(argv[0] + 1, &bits) &&
			 (bits == 8 || bits == 16 || bits == 32 || bits == 64))
			opt.unit = (unsigned int)bits / 8;
		else
			return usage(rd_usage);
	}
	if (argc < 1 || argc > 2 ||
	    (argc == 2 && cli_parse_u64(argv[1], &opt.count)))
		return usage(rd_usage);
	err = rd_address(cli, argv[0], &addr);
	if (!err)
		err = po_rd(cli->prog, addr, &opt, cli->out);
	return err ? cli_error(err) : 0;
}
