#!/usr/bin/env bash
# The system packages publish needs and pip cannot install, installed when they are missing.
#
#   bash .ci/system-packages.sh book   # Pango and HarfBuzz's subsetter: WeasyPrint makes the PDF with them
#   bash .ci/system-packages.sh test   # the same, plus Java (EPUBCheck), qpdf, poppler-utils, a CMYK profile
#
# `make book`, `make test` and .ci/run call it. When nothing is missing it only looks (milliseconds) and
# prints nothing. Debian/Ubuntu: apt-get, as root or through passwordless sudo, with one line saying what it
# installs and why (apt's own output goes to a log, shown if it fails). macOS: Homebrew. Anywhere else, or
# when it cannot install (not root and no passwordless sudo, no network), it prints one line naming what is
# missing and the command that installs it, and exits 1, so that nothing is built.
set -euo pipefail

mode=${1:-book}
[[ $mode == book || $mode == test ]] || { echo "usage: $0 [book|test]" >&2; exit 2; }

fail() { echo "publish: $*" >&2; exit 1; }

# --- macOS: Homebrew (CI cannot test this; README.md, System requirements) ---------------------------------
if [[ $(uname -s) == Darwin ]]; then
  formulae="pango harfbuzz"
  [[ $mode == book ]] || formulae+=" openjdk qpdf poppler"
  command -v brew >/dev/null ||
    fail "Pango and HarfBuzz are missing and Homebrew is not installed; install it (https://brew.sh), then run: brew install $formulae"
  prefix=$(brew --prefix)
  missing=()
  [[ -e $prefix/lib/libpangoft2-1.0.dylib ]] || missing+=(pango)
  [[ -e $prefix/lib/libharfbuzz-subset.0.dylib ]] || missing+=(harfbuzz)
  if [[ $mode == test ]]; then
    java -version >/dev/null 2>&1 || [[ -e $prefix/opt/openjdk ]] || missing+=(openjdk)
    command -v qpdf >/dev/null || missing+=(qpdf)
    command -v pdftotext >/dev/null || missing+=(poppler)
  fi
  if ((${#missing[@]})); then
    echo "installing with Homebrew (WeasyPrint makes the PDF with Pango and HarfBuzz; the tests need the rest): ${missing[*]}"
    brew install --quiet "${missing[@]}" >/dev/null || fail "brew could not install them; run: brew install ${missing[*]}"
  fi
  # Homebrew's openjdk is keg-only: macOS's /usr/bin/java finds it only once it is linked.
  [[ $mode == book ]] || java -version >/dev/null 2>&1 ||
    fail "Java is installed but not found; run: sudo ln -sfn $prefix/opt/openjdk/libexec/openjdk.jdk /Library/Java/JavaVirtualMachines/openjdk.jdk"
  exit 0
fi

# --- Linux: what is missing, as Debian packages, and why ---------------------------------------------------
ldconfig=$(command -v ldconfig || echo /sbin/ldconfig) # /sbin is not on a plain user's PATH
libs=$("$ldconfig" -p 2>/dev/null || true)
has_lib() { # in ld.so's cache, or (where there is none, as on Alpine) in one of the usual folders
  [[ $libs == *"$1 "* ]] && return
  local file
  for file in {/lib,/lib64,/usr/lib,/usr/lib64,/usr/local/lib}/"$1" /usr/lib/*/"$1"; do
    [[ -e $file ]] && return
  done
  return 1
}

missing=() names="" why=""
want() { # want PACKAGE "what it is" "why it is needed"
  missing+=("$1")
  names+="${names:+, }$2"
  [[ $why == *"$3"* ]] || why+="${why:+; }$3"
}
pdf="WeasyPrint lays out the PDF with Pango and subsets its fonts with HarfBuzz"
tests="the tests run EPUBCheck (Java) and check PDFs with qpdf, poppler and a CMYK profile"
has_lib libpango-1.0.so.0 || want libpango-1.0-0 "Pango >= 1.44 (libpango-1.0.so.0)" "$pdf"
has_lib libpangoft2-1.0.so.0 || want libpangoft2-1.0-0 "PangoFT2 (libpangoft2-1.0.so.0)" "$pdf"
has_lib libharfbuzz-subset.so.0 || want libharfbuzz-subset0 "HarfBuzz's subsetter (libharfbuzz-subset.so.0)" "$pdf"
if [[ $mode == test ]]; then
  command -v java >/dev/null || want default-jre-headless "Java 11+ (java)" "$tests"
  command -v qpdf >/dev/null || want qpdf "qpdf" "$tests"
  for tool in pdftotext pdftoppm pdffonts; do
    command -v $tool >/dev/null || { want poppler-utils "poppler (pdftotext, pdftoppm, pdffonts)" "$tests"; break; }
  done
  [[ -f /usr/share/color/icc/ghostscript/default_cmyk.icc ]] ||
    want libgs-common "Ghostscript's CMYK profile (default_cmyk.icc)" "$tests"
fi
((${#missing[@]})) || exit 0

packages=${missing[*]}
if ! command -v apt-get >/dev/null; then
  fail "missing system libraries: $names; install them with your system's package manager (README.md, System requirements; on Debian: sudo apt-get install $packages)"
fi
if [[ $(id -u) == 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  fail "missing system packages ($why), and installing them needs root; run: sudo apt-get install $packages"
fi

echo "installing system packages ($why): $packages"
log=$(mktemp "${TMPDIR:-/tmp}/publish-apt.XXXXXX")
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
if ! { "${apt[@]}" update -qq && "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"; } \
  >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "apt-get could not install them (log above, all of it in $log); once it can reach its mirrors, run: sudo apt-get install $packages"
fi
rm -f "$log"
