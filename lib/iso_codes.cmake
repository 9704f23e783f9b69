# Country names from Debian's iso-codes, compiled into the library at build
# time (filled in by the countries work; sets NI_GENERATED_LIB_SOURCES).
set(NI_GENERATED_LIB_SOURCES "")
