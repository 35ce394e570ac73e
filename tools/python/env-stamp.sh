# python-env:init's runtime input, sourced by the shell Nx starts (`. tools/python/env-stamp.sh`,
# from the workspace root): prints the stamp .venv/.lava-python-env holds when it is the one
# python-env:init would write now (lib/python/venv.ts envStamp: the requirements' sha256, python3's
# resolved path and mtime, pyenv's selectors), so the task is a cache hit; anything else (no .venv,
# half-made, made from other requirements or for another interpreter) prints a nonce, a miss.
# Written for a no-op: shell builtins but one command substitution (readlink, stat, sha256sum),
# where spelling each part as `$(…)` started ~15 processes on every hash of the task.

# The file `command -v python3` names, found without a subshell.
_lava_p=
_lava_ifs=$IFS; IFS=:
for _lava_d in $PATH; do
  if [ -f "${_lava_d:-.}/python3" ] && [ -x "${_lava_d:-.}/python3" ]; then _lava_p=${_lava_d:-.}/python3; break; fi
done
IFS=$_lava_ifs

# What `$(cat "$1")` gives (trailing newlines dropped, empty when unreadable), into _lava_v.
_lava_read() {
  _lava_v=
  if [ -r "$1" ]; then
    while IFS= read -r _lava_l || [ -n "$_lava_l" ]; do _lava_v="$_lava_v$_lava_l
"; done <"$1"
  fi
  while :; do
    case $_lava_v in
      *"
") _lava_v=${_lava_v%?} ;;
      *) break ;;
    esac
  done
}

# Three lines: the resolved path, its mtime, the requirements' sha256.
_lava_x=$(readlink -f "$_lava_p"; stat -L -c %Y "$_lava_p" 2>/dev/null; sha256sum <tools/python/requirements.txt)
_lava_path=${_lava_x%%"
"*}
_lava_x=${_lava_x#*"
"}
_lava_mtime=${_lava_x%%"
"*}
_lava_sha=${_lava_x#*"
"}
_lava_sha=${_lava_sha%% *}

_lava_read .python-version; _lava_local=$_lava_v
_lava_read "${PYENV_ROOT:-$HOME/.pyenv}/version"
_lava_want="$_lava_sha $_lava_path $_lava_mtime ${PYENV_VERSION:-}|$_lava_local|$_lava_v"
_lava_read .venv/.lava-python-env
if [ -n "$_lava_p" ] && [ "$_lava_v" = "$_lava_want" ]; then echo "$_lava_want"; else echo "absent or stale: $(date +%s%N)"; fi
