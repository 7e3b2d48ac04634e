/* fuzz-oci.c: libFuzzer harness for the OCI image layout reader: index.json (blobs are named by
 * their sha256, so part 1 and the layers are reachable by digest; see fuzz-image-common.h). */
#include "fuzz-image-common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return hull_fuzz_run(data, size, TRUE);
}
