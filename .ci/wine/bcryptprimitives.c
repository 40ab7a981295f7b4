/*
 * A test-only bcryptprimitives.dll for wine 8.0, which lacks it. Go 1.22 and
 * later draw their random bytes from ProcessPrng in this DLL on Windows;
 * real Windows (8.1 and later) ships it. This one answers ProcessPrng with
 * RtlGenRandom (advapi32's SystemFunction036). It is built by .ci/wine-session
 * and copied into the test prefix's system32, never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
