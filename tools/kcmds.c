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

/*
 * Parse a command's options, each a flag whose .value is what it sets
 * in *@value.  Returns -1 to go on, with the operands in *@argc and
 * *@argv, else what the command returns.
 */
static int flags(struct cli *cli, const struct command *cmd, int *argc,
		 char ***argv, int *value)
{
	struct cli_parser p;
	int id;

	cli_parse_start(&p, cmd, cli->out, *argc, *argv);
	while ((id = cli_next(&p)) >= 0)
		*value = p.opt->value;
	if (id == CLI_STOP)
		return p.status;
	*argc = p.argc;
	*argv = p.argv;
	return -1;
}

enum { PRINT_RADIX };

/* Whole words: "print -1" is an expression, not an option.  .value is
 * the radix. */
const struct cli_option cli_print_options[] = {
	CLI_FLAG_VALUE(PRINT_RADIX, 0, "x", 16, "in hexadecimal"),
	CLI_FLAG_VALUE(PRINT_RADIX, 0, "d", 10, "in decimal"),
	CLI_FLAG_VALUE(PRINT_RADIX, 0, "o", 8, "in octal"),
	CLI_OPT_END,
};

/* print [-x|-d|-o] EXPR: "NAME = $N = VALUE" for a symbol, as crash. */
int cmd_print(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	struct po_print_options opt = { .radix = cli->radix };
	struct po_object obj;
	struct po_error *err;
	char label[300], *expr;
	int status = flags(cli, cmd, &argc, &argv, &opt.radix);

	if (status >= 0)
		return status;
	if (!argc)
		return cli_usage_error(cmd, "needs an expression");
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

static int type_command(struct cli *cli, const struct command *cmd, int argc,
			char **argv, bool whatis)
{
	struct po_error *err;
	char *text;
	int status = cli_parse_operands(cmd, cli->out, &argc, &argv);

	if (status >= 0)
		return status;
	if (!argc)
		return cli_usage_error(cmd, "needs a type or an expression");
	text = join(argc, argv);
	if (!text)
		return out_of_memory();
	err = po_ptype(cli->prog, text, cli->history, cli->nr_history, whatis,
		       cli->out);
	free(text);
	return err ? cli_error(err) : 0;
}

int cmd_ptype(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	return type_command(cli, cmd, argc, argv, false);
}

int cmd_whatis(struct cli *cli, const struct command *cmd, int argc,
	       char **argv)
{
	return type_command(cli, cmd, argc, argv, true);
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

enum { RD_PHYS, RD_UNIT };

/* Whole words, as crash's: "-16" is one option.  .value is the unit in
 * bytes. */
const struct cli_option cli_rd_options[] = {
	CLI_FLAG(RD_PHYS, 0, "p", "ADDR is a physical address"),
	CLI_FLAG_VALUE(RD_UNIT, 0, "8", 1, "in bytes"),
	CLI_FLAG_VALUE(RD_UNIT, 0, "16", 2, "in 16-bit words"),
	CLI_FLAG_VALUE(RD_UNIT, 0, "32", 4, "in 32-bit words"),
	CLI_FLAG_VALUE(RD_UNIT, 0, "64", 8, "in 64-bit words (the default)"),
	CLI_OPT_END,
};

int cmd_rd(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	struct po_rd_options opt = { .unit = 8, .count = 1 };
	struct po_error *err;
	struct cli_parser p;
	uint64_t addr;
	int id;

	cli_parse_start(&p, cmd, cli->out, argc, argv);
	while ((id = cli_next(&p)) >= 0) {
		if (id == RD_PHYS)
			opt.phys = true;
		else
			opt.unit = (unsigned int)p.opt->value;
	}
	if (id == CLI_STOP)
		return p.status;
	if (p.argc < 1)
		return cli_usage_error(cmd, "needs an address");
	if (p.argc > 2)
		return cli_unexpected(cmd, p.argv[2]);
	if (p.argc == 2 && cli_parse_u64(p.argv[1], &opt.count))
		return cli_usage_error(cmd, "COUNT: \"%s\" is not a number",
				       p.argv[1]);
	err = rd_address(cli, p.argv[0], &addr);
	if (!err)
		err = po_rd(cli->prog, addr, &opt, cli->out);
	return err ? cli_error(err) : 0;
}
