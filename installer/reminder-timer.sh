# Sourced by installer/install.sh: the daily `optguard remind` run while the browser is closed
# (issue 5). Linux: a per-user systemd timer (~/.config/systemd/user/optguard-remind.{service,timer});
# macOS: a launchd agent (~/Library/LaunchAgents/dev.optguard.remind.plist). Both come from the
# templates in installer/reminders/ with the absolute path of the installed `optguard`.
# Per-user installs only: --system does not write timers into anyone's home.
# Which one is written follows optguard_os (browsers.sh), so OPTGUARD_OS=macos (tests only) writes
# the launchd agent on Linux, to check it as text. Uses bash built-ins and the installer tests' tools.

readonly OPTGUARD_TIMER_UNIT="optguard-remind.timer"
readonly OPTGUARD_SERVICE_UNIT="optguard-remind.service"
readonly OPTGUARD_AGENT_LABEL="dev.optguard.remind"
optguard_reminder_templates="$(dirname "${BASH_SOURCE[0]}")/reminders"

# The folder systemd's user manager reads units from (it honours XDG_CONFIG_HOME too).
optguard_user_unit_dir() {
  local config="${XDG_CONFIG_HOME:-${HOME}/.config}"
  [[ $config == /* ]] || config="${HOME}/.config"
  echo "${config}/systemd/user"
}

# True when a per-user systemd answers (not in a container, over ssh without lingering, as root
# with no user session, ...): `is-system-running` prints a state; "offline" or nothing means no.
optguard_user_systemd_reachable() {
  command -v systemctl >/dev/null 2>&1 || return 1
  local state
  state=$(systemctl --user is-system-running 2>/dev/null) || true
  case "$state" in
    running | degraded | starting | initializing | maintenance) return 0 ;;
    *) return 1 ;;
  esac
}

# Escapes a value for the right-hand side of a sed s|...|...| command.
optguard_sed_escape() { local v=${1//\\/\\\\}; v=${v//&/\\&}; echo "${v//|/\\|}"; }

# Renders template $1 to file $2 (mode 0644, atomically), replacing @OPTGUARD_BIN@ with $3.
optguard_render() {
  sed -e "s|@OPTGUARD_BIN@|$(optguard_sed_escape "$3")|g" "$1" >"${2}.tmp"
  chmod 0644 "${2}.tmp"
  mv -f "${2}.tmp" "$2"
}

# Writes and enables the timer; appends what it wrote to the caller's `written` array.
optguard_reminder_install() { # $1 = absolute path of the installed optguard
  local bin=$1
  if [[ $(optguard_os) == macos ]]; then
    local agents="${HOME}/Library/LaunchAgents" plist
    plist="${agents}/${OPTGUARD_AGENT_LABEL}.plist"
    local xml=${bin//&/&amp;}
    xml=${xml//</&lt;}
    xml=${xml//>/&gt;}
    ensure_dir "$agents"
    optguard_render "${optguard_reminder_templates}/${OPTGUARD_AGENT_LABEL}.plist.in" "$plist" "$xml"
    written+=("$plist")
    if command -v launchctl >/dev/null 2>&1; then
      launchctl bootout "gui/${UID}/${OPTGUARD_AGENT_LABEL}" >/dev/null 2>&1 || true
      if launchctl bootstrap "gui/${UID}" "$plist"; then
        echo "daily reminders: loaded the launchd agent ${plist}"
        return 0
      fi
    fi
    echo "daily reminders: wrote ${plist}; it runs from your next login, or load it now with:"
    echo "  launchctl bootstrap gui/\$(id -u) '${plist}'"
    return 0
  fi

  local units service timer exec
  units=$(optguard_user_unit_dir)
  service="${units}/${OPTGUARD_SERVICE_UNIT}"
  timer="${units}/${OPTGUARD_TIMER_UNIT}"
  # systemd expands % specifiers and $VARIABLES in ExecStart; double them so the path stays a path.
  exec=${bin//%/%%}
  exec=${exec//\$/\$\$}
  ensure_dir "$units"
  optguard_render "${optguard_reminder_templates}/${OPTGUARD_SERVICE_UNIT}.in" "$service" "$exec"
  optguard_render "${optguard_reminder_templates}/${OPTGUARD_TIMER_UNIT}.in" "$timer" "$exec"
  written+=("$service" "$timer")
  if optguard_user_systemd_reachable; then
    if systemctl --user daemon-reload && systemctl --user enable --now "$OPTGUARD_TIMER_UNIT"; then
      echo "daily reminders: enabled ${OPTGUARD_TIMER_UNIT} (see: systemctl --user list-timers ${OPTGUARD_TIMER_UNIT})"
      return 0
    fi
    echo "daily reminders: systemctl could not enable ${OPTGUARD_TIMER_UNIT} (see above)."
  else
    echo "daily reminders: wrote ${timer} and ${OPTGUARD_SERVICE_UNIT}, but no per-user systemd is reachable from here."
  fi
  echo "  Enable them from your desktop session with:"
  echo "  systemctl --user daemon-reload && systemctl --user enable --now ${OPTGUARD_TIMER_UNIT}"
}

# Before --uninstall removes the files: stop and disable what the record says install set up.
optguard_reminder_stop() { # $1 = the installed-files record
  local record=$1 timer
  timer=$(grep -E "/systemd/user/${OPTGUARD_TIMER_UNIT//./\\.}\$" "$record" || true)
  if [[ -n $timer ]]; then
    if optguard_user_systemd_reachable; then
      systemctl --user disable --now "$OPTGUARD_TIMER_UNIT" >/dev/null 2>&1 || true
      echo "disabled ${OPTGUARD_TIMER_UNIT}"
    fi
    # Without a reachable systemd, `enable` left a link we remove ourselves (only that link).
    local wants
    wants="$(dirname "$timer")/timers.target.wants/${OPTGUARD_TIMER_UNIT}"
    if [[ -L $wants ]]; then
      rm -f -- "$wants"
      echo "removed ${wants}"
    fi
  fi
  if grep -q -E "/LaunchAgents/${OPTGUARD_AGENT_LABEL//./\\.}\.plist\$" "$record" && command -v launchctl >/dev/null 2>&1; then
    launchctl bootout "gui/${UID}/${OPTGUARD_AGENT_LABEL}" >/dev/null 2>&1 || true
    echo "unloaded the launchd agent ${OPTGUARD_AGENT_LABEL}"
  fi
}

# After --uninstall removed the unit files: let the user manager forget them.
optguard_reminder_forget() { # $1 = the installed-files record
  if grep -q -E "/systemd/user/${OPTGUARD_TIMER_UNIT//./\\.}\$" "$1" && optguard_user_systemd_reachable; then
    systemctl --user daemon-reload >/dev/null 2>&1 || true
  fi
}
