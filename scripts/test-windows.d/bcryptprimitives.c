/* Wine 8 lacks bcryptprimitives.dll: see scripts/test-windows. std asks
 * for a few bytes at a time (HashMap keys), far below RtlGenRandom's
 * 4 GiB limit. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    return RtlGenRandom(data, (ULONG)len);
}
