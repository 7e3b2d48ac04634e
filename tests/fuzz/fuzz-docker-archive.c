/* fuzz-docker-archive.c: libFuzzer harness for the docker-archive reader: manifest.json, the
 * config and layers (see fuzz-image-common.h for the text format of an input). */
#include "fuzz-image-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return hull_fuzz_run(data, size, FALSE);
}
