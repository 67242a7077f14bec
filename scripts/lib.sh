# shellcheck shell=bash
# Helpers shared by the action's scripts (sourced, never run). No input is ever evaluated.

# Appends NAME=VALUE to $GITHUB_OUTPUT with a random heredoc delimiter, so a value holding a
# newline cannot forge another output.
set_output() {
  local name=$1 value=$2 delim
  delim="tfvpc_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  if [[ $value == *"$delim"* ]]; then
    echo "::error::output $name holds its own delimiter" >&2
    return 1
  fi
  printf '%s<<%s\n%s\n%s\n' "$name" "$delim" "$value" "$delim" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

# Escapes text for the data part of a workflow command (::warning::DATA).
escape_data() {
  # Patterns in variables: the same meaning in bash 3.2 (macOS) and 5.
  local s=$1 pct='%' cr=$'\r' lf=$'\n'
  s=${s//$pct/%25}
  s=${s//$cr/%0D}
  s=${s//$lf/%0A}
  printf '%s' "$s"
}

# Prints a file to the log with workflow commands switched off, so text that came from the
# plan (resource names, messages) cannot act as a `::command::`.
print_untrusted() {
  local file=$1 token
  [[ -s $file ]] || return 0
  token="tfvpc-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  echo "::stop-commands::$token"
  cat -- "$file"
  echo
  echo "::$token::"
}

# SHA-256 of a file (hex), with whichever tool the runner has.
sha256_file() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | cut -d' ' -f1
  else
    shasum -a 256 -- "$1" | cut -d' ' -f1
  fi
}

# SHA-256 of standard input (hex).
sha256_stdin() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d' ' -f1
  else
    shasum -a 256 | cut -d' ' -f1
  fi
}
