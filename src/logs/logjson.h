/*
 * logjson.h — a tiny bounded reader for one flat JSON object per line
 * (journalctl -o json, charon 6.x filelog json). Internal to src/logs.
 */
#ifndef IKESCOPE_LOGJSON_H
#define IKESCOPE_LOGJSON_H

#include <stdbool.h>
#include <stddef.h>

#define LOGJSON_MAX_DEPTH 8

/* A key the caller wants; the value is copied (strings unescaped, numbers as written). */
struct logjson_field {
	const char *key;
	char *out;
	size_t cap;
	bool found;
	bool is_string; /* false: a number, true, false or null as written */
	bool truncated;
};

/*
 * Reads the object in s[0..len): every member is checked for well-formedness,
 * wanted ones are copied. False on anything that is not one well-formed object
 * (trailing spaces allowed), or when nesting goes deeper than LOGJSON_MAX_DEPTH.
 */
bool logjson_read(const char *s, size_t len, struct logjson_field *f, size_t n);

#endif
