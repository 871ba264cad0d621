#!/bin/bash
# Install the kiosk on a Debian 12 terminal, or upgrade it in place (the configuration is kept).
#
#   sudo bash systemd/install.sh                  # from an unpacked release or a checkout
#   sudo bash systemd/install.sh --root DIR       # into a chroot/image at DIR (systemctl offline)
#
# Options:
#   --root DIR       install under DIR (an image or a test root): users, files and `systemctl --root`
#   --no-systemctl   do not call systemctl or udevadm at all
#   --no-apt         do not install Debian packages (they are there already, or DIR is not a system)
#   --wheels DIR     install the kiosk and its dependencies only from the wheels in DIR (a terminal
#                    without internet; make DIR with `pip wheel . -w DIR` on a machine with it)
#   --no-deps        install the kiosk's own package only (its dependencies are already in the venv)
#   --cage           run the kiosk under cage (Wayland kiosk compositor + Xwayland) on tty1: installs
#                    the packages and the drop-in kiosk.service.d/cage.conf; without it, the kiosk is an X
#                    client of :0 (the fallback), and a drop-in an earlier --cage installed is kept
#
# What it makes: the system user `kiosk` (groups dialout, lp, video, input, render where they exist),
# the application in /opt/kiosk with its own venv /opt/kiosk/.venv, /etc/kiosk/kiosk.ini (production
# defaults: full screen, the real device kinds as commented examples; an existing file is kept and the
# new defaults go to kiosk.ini.dist beside it), /var/lib/kiosk, the unit, udev rules, the journald
# drop-in and the kernel modules list. It says each step; it stops at the first error.
set -euo pipefail

root=""
use_systemctl=1
use_apt=1
wheels=""
with_deps=1
with_cage=0
while (($#)); do
  case "$1" in
    --root) root="$(realpath -m "$2")"; shift 2 ;;
    --no-systemctl) use_systemctl=0; shift ;;
    --no-apt) use_apt=0; shift ;;
    --wheels) wheels="$(realpath "$2")"; shift 2 ;;
    --no-deps) with_deps=0; shift ;;
    --cage) with_cage=1; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo)" >&2; exit 1; }
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
at() { printf '%s%s' "$root" "$1"; }
say() { printf 'install.sh: %s\n' "$*"; }

app=/opt/kiosk
upgrade=0
[ -e "$(at $app/.venv/bin/kiosk)" ] && upgrade=1

if ((use_apt)) && [ -z "$root" ]; then
  say "Debian packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-dev gcc swig libpcsclite-dev pcscd \
    libgl1 libegl1 libgl1-mesa-dri libgles2 libmtdev1 fonts-dejavu-core >/dev/null
  if ((with_cage)); then  # Debian's cage does not pull Xwayland in; the SDL in Kivy's wheel needs X11
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cage xwayland >/dev/null
  fi
fi

say "service user kiosk"
prefix=()
[ -n "$root" ] && prefix=(--prefix "$root")
if ! grep -q '^kiosk:' "$(at /etc/passwd)"; then
  useradd "${prefix[@]}" --system --user-group --no-create-home --home-dir /var/lib/kiosk \
    --shell /usr/sbin/nologin --comment "Infomat kiosk" kiosk
fi
for group in dialout lp video input render; do
  if grep -q "^$group:" "$(at /etc/group)"; then
    usermod "${prefix[@]}" --append --groups "$group" kiosk
  fi
done
uid="$(awk -F: '$1 == "kiosk" { print $3 }' "$(at /etc/passwd)")"
gid="$(awk -F: '$1 == "kiosk" { print $4 }' "$(at /etc/passwd)")"

say "application in $app ($([ $upgrade = 1 ] && echo upgrade || echo new))"
install -d -m 0755 "$(at $app)"
for part in kiosk screens devices offline_cache systemd; do
  rm -rf "$(at $app/$part)"
done
tar -C "$src" --exclude=__pycache__ --exclude='*.pyc' -cf - \
  kiosk screens devices offline_cache systemd pyproject.toml README.md kiosk.ini | tar -C "$(at $app)" -xf -
[ -x "$(at $app/.venv/bin/python)" ] || python3 -m venv "$(at $app/.venv)"
pip=("$(at $app/.venv/bin/python)" -m pip install -q --disable-pip-version-check)
package="$(at $app)"
if [ -n "$wheels" ]; then
  pip+=(--no-index --find-links "$wheels")
  package=infomat-kiosk
fi
"${pip[@]}" --force-reinstall --no-deps "$package"   # this release's code, even at the same version
((with_deps)) && "${pip[@]}" "$package"                # and what it needs (already there: nothing to do)
rm -rf "$(at $app/build)" "$(at $app)"/*.egg-info

say "configuration /etc/kiosk/kiosk.ini"
install -d -m 0755 "$(at /etc/kiosk)"
production="$(mktemp)"
trap 'rm -f "$production"' EXIT
awk -f "$src/systemd/production-ini.awk" "$src/kiosk.ini" > "$production"
if [ -e "$(at /etc/kiosk/kiosk.ini)" ]; then
  if ! cmp -s "$production" "$(at /etc/kiosk/kiosk.ini)"; then
    install -m 0644 "$production" "$(at /etc/kiosk/kiosk.ini.dist)"
    say "  kept your kiosk.ini; this release's defaults are in /etc/kiosk/kiosk.ini.dist (diff them)"
  fi
else
  install -m 0644 "$production" "$(at /etc/kiosk/kiosk.ini)"
fi

say "state directory /var/lib/kiosk"
install -d -m 0750 -o "$uid" -g "$gid" "$(at /var/lib/kiosk)"

say "unit, udev rules, journald drop-in, kernel modules"
install -D -m 0644 "$src/systemd/kiosk.service" "$(at /etc/systemd/system/kiosk.service)"
install -D -m 0644 "$src/systemd/99-kiosk-devices.rules" "$(at /etc/udev/rules.d/99-kiosk-devices.rules)"
install -D -m 0644 "$src/systemd/kiosk.journald.conf" "$(at /etc/systemd/journald.conf.d/kiosk.conf)"
install -D -m 0644 "$src/systemd/kiosk-modules.conf" "$(at /etc/modules-load.d/kiosk.conf)"
if ((with_cage)); then
  say "  under cage: /etc/systemd/system/kiosk.service.d/cage.conf"
  install -D -m 0644 "$src/systemd/kiosk-cage.conf" "$(at /etc/systemd/system/kiosk.service.d/cage.conf)"
elif [ -e "$(at /etc/systemd/system/kiosk.service.d/cage.conf)" ]; then
  install -m 0644 "$src/systemd/kiosk-cage.conf" "$(at /etc/systemd/system/kiosk.service.d/cage.conf)"
  say "  kept running under cage (kiosk.service.d/cage.conf updated; remove it to go back to X)"
fi

if ((use_systemctl)); then
  if [ -n "$root" ]; then
    say "enabling kiosk.service in $root (offline)"
    systemctl --root="$root" enable kiosk.service >/dev/null 2>&1 || systemctl --root="$root" enable kiosk.service
  else
    say "systemd: reload, enable, (re)start"
    systemctl daemon-reload
    udevadm control --reload
    systemctl restart systemd-modules-load.service systemd-journald.service
    systemctl enable --now pcscd.socket
    systemctl enable kiosk.service
    if ((upgrade)); then systemctl try-restart kiosk.service; else systemctl start kiosk.service; fi
  fi
fi
say "done: $(at $app/.venv/bin/kiosk) doctor checks the terminal; kiosk set-pin sets the service PIN"
