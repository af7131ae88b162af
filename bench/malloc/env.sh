# Sourced by the bench scripts: the launcher's malloc settings (README, "Speed: the memory allocator") as an env(1)
# argument list, for a side that runs as semiseg's launcher would. Keep in step with ./semiseg.
MALLOC_TUNED=(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=268435456
              GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
# malloc_env MODE: the env(1) arguments of MODE (tuned: the launcher's settings; glibc: none, glibc's defaults;
# tcmalloc, jemalloc: that allocator preloaded, from Debian's libtcmalloc-minimal4 / libjemalloc2)
malloc_env() {
  case "$1" in
    tuned) printf '%s\n' "${MALLOC_TUNED[@]}" ;;
    glibc) ;;
    tcmalloc|jemalloc)
      local so lib
      so=$([ "$1" = tcmalloc ] && echo libtcmalloc_minimal.so.4 || echo libjemalloc.so.2)
      lib=$( (/sbin/ldconfig -p 2>/dev/null || true) | awk -v so="$so" '$1 == so {print $NF; exit}')
      [ -n "$lib" ] || { echo "malloc mode $1: $so not found (apt-get install libtcmalloc-minimal4 libjemalloc2)" >&2; return 2; }
      echo "LD_PRELOAD=$lib" ;;
    *) echo "malloc mode must be tuned, glibc, tcmalloc or jemalloc, got '$1'" >&2; return 2 ;;
  esac
}
# semiseg_isa: the DNNL_MAX_CPU_ISA the launcher would run with (AVX2 on AMD CPUs, ALL, oneDNN's default, elsewhere;
# an exported value wins).
semiseg_isa() {
  if [ -n "${DNNL_MAX_CPU_ISA:-}" ]; then echo "$DNNL_MAX_CPU_ISA"
  elif grep -qs -m1 '^vendor_id.*AuthenticAMD' /proc/cpuinfo; then echo AVX2
  else echo ALL; fi
}
