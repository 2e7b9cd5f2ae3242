#!/usr/bin/env bash
# Checks that a man page lists every command and option its program's --help does:
#   check-man-pages.sh PROGRAM MAN_PAGE.1
# Options are the --long and -s short names in --help; commands are the words that open an
# indented line of the "Commands:" section (prunescope-cli). The page is the roff help2man wrote;
# its escapes (\-, \fB, ...) are undone before looking, and a command must appear as a word.
set -euo pipefail
program=$1
page=$2
[[ -s "$page" ]] || { echo "FAIL: no man page at $page"; exit 1; }

help=$(QT_QPA_PLATFORM=offscreen "$program" --help)
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(.\{2\}//g' -e 's/\\e/\\/g' "$page")

options=$(grep -oE '(^|[[:space:][(])--?[A-Za-z][A-Za-z0-9-]*' <<<"$help" | sed -E 's/^[[:space:][(]//' | sort -u)
commands=$(awk '/^Commands:/ {in_commands = 1; next}
                in_commands && /^[^[:space:]]/ {in_commands = 0}
                in_commands && /^  [a-z]/ {print $1}' <<<"$help" | sort -u)

checked=0
missing=()
for option in $options; do
  checked=$((checked + 1))
  grep -qF -- "$option" <<<"$text" || missing+=("option $option")
done
for command in $commands; do
  checked=$((checked + 1))
  grep -qwF -- "$command" <<<"$text" || missing+=("command $command")
done

name=$(basename "$program")
if ((checked < 3)); then
  echo "FAIL: found only $checked commands and options in $name --help: is the help text's format what this script reads?"
  exit 1
fi
if ((${#missing[@]} > 0)); then
  echo "FAIL: $page lacks what $name --help lists: ${missing[*]}"
  exit 1
fi
echo "$name: all $checked commands and options of --help are in $(basename "$page")"
