/*
 * pngstat.c — what tests/svg/run.sh needs to know of a PNG that headless
 * Chromium rendered: its size, how many pixels are not (near) white, and how
 * many are the ladder's red. Reads 8-bit RGB or RGBA, non-interlaced (what
 * Chromium writes); anything else is an error.
 *
 * Usage: pngstat FILE.png   prints "WIDTH HEIGHT INKED RED", exit 0; exit 2 with a reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int fail(const char *path, const char *why)
{
	fprintf(stderr, "pngstat: %s: %s\n", path, why);
	return 2;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int main(int argc, char *argv[])
{
	if (argc != 2)
		return fprintf(stderr, "usage: pngstat FILE.png\n"), 1;
	const char *path = argv[1];
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(path, "cannot open");
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (size < 8 || size > 512L * 1024 * 1024)
		return fclose(f), fail(path, "not a PNG of a sane size");
	uint8_t *buf = malloc((size_t)size);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		return fclose(f), fail(path, "cannot read");
	fclose(f);
	if (memcmp(buf, "\x89PNG\r\n\x1a\n", 8) != 0)
		return fail(path, "no PNG signature");

	uint32_t w = 0, h = 0;
	unsigned channels = 0;
	uint8_t *idat = NULL;
	size_t n_idat = 0;
	for (size_t off = 8; off + 12 <= (size_t)size;) {
		uint32_t len = be32(buf + off);
		if (len > (size_t)size - off - 12)
			return fail(path, "chunk runs past the end");
		const uint8_t *type = buf + off + 4, *data = buf + off + 8;
		if (memcmp(type, "IHDR", 4) == 0 && len == 13) {
			w = be32(data);
			h = be32(data + 4);
			if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0)
				return fail(path, "not 8-bit RGB/RGBA non-interlaced");
			channels = data[9] == 2 ? 3 : 4;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			uint8_t *p = realloc(idat, n_idat + len);
			if (!p)
				return fail(path, "out of memory");
			idat = p;
			memcpy(idat + n_idat, data, len);
			n_idat += len;
		} else if (memcmp(type, "IEND", 4) == 0) {
			break;
		}
		off += 12 + (size_t)len;
	}
	if (!channels || w == 0 || h == 0 || w > 100000 || h > 200000)
		return fail(path, "no usable IHDR");
	size_t stride = (size_t)w * channels;
	size_t raw_len = (stride + 1) * h;
	uint8_t *raw = malloc(raw_len);
	if (!raw)
		return fail(path, "out of memory");
	uLongf out_len = raw_len;
	if (uncompress(raw, &out_len, idat, n_idat) != Z_OK || out_len != raw_len)
		return fail(path, "image data does not inflate to its size");

	uint64_t inked = 0, red = 0;
	for (uint32_t y = 0; y < h; y++) {
		uint8_t *row = raw + y * (stride + 1), ft = row[0];
		uint8_t *px = row + 1, *up = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
		for (size_t i = 0; i < stride; i++) {
			int a = i >= channels ? px[i - channels] : 0, b = up ? up[i] : 0;
			int c = up && i >= channels ? up[i - channels] : 0;
			switch (ft) {
			case 0: break;
			case 1: px[i] = (uint8_t)(px[i] + a); break;
			case 2: px[i] = (uint8_t)(px[i] + b); break;
			case 3: px[i] = (uint8_t)(px[i] + (a + b) / 2); break;
			case 4: px[i] = (uint8_t)(px[i] + paeth(a, b, c)); break;
			default: return fail(path, "bad filter type");
			}
		}
		for (uint32_t x = 0; x < w; x++) {
			const uint8_t *p = px + (size_t)x * channels;
			if (p[0] < 235 || p[1] < 235 || p[2] < 235)
				inked++;
			if (p[0] > 170 && p[1] < 100 && p[2] < 100)
				red++;
		}
	}
	printf("%u %u %llu %llu\n", w, h, (unsigned long long)inked, (unsigned long long)red);
	free(raw);
	free(idat);
	free(buf);
	return 0;
}
