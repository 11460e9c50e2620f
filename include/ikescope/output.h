/*
 * output.h — printers over the model. They write to a stream the caller owns
 * (the CLI passes stdout); they never decide what to print, only how.
 */
#ifndef IKESCOPE_OUTPUT_H
#define IKESCOPE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "ikescope/capture.h"
#include "ikescope/ike.h"

/* One line: frame, time, addresses and ports, SPIs, charon's summary (and
 * anomalies); verbose adds the full payload tree below it. */
void ike_out_text_msg(FILE *f, const struct ike_msg *m, const char *file_name, bool verbose);
/* One "msg" object of DESIGN.md's contract on one line. */
void ike_out_json_msg(FILE *f, const struct ike_msg *m, const char *file_name);
/* Frame-level anomalies and keepalives. */
void ike_out_text_event(FILE *f, const struct ike_cap_event *ev, const char *file_name);
void ike_out_json_event(FILE *f, const struct ike_cap_event *ev, const char *file_name);

#endif
