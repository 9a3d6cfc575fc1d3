/* A stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks.
 * Rust's standard library asks it for random numbers (ProcessPrng), so
 * without it every Rust program fails to start under Wine (c0000135).
 * It answers from RtlGenRandom, which Wine has. Windows itself has the
 * real DLL: this file is only for running the tests under Wine. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
