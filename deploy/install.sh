#!/usr/bin/env bash
# Installs the kiosk on a hall terminal (fresh Debian 12, as root), from this checkout:
#
#   bash deploy/install.sh --platform URL --terminal-id ID --hall NAME --key-file FILE
#
# - the code as a release, /opt/kiosk/releases/<version> (root's), /opt/kiosk/current pointing
#   at it, the boot step /opt/kiosk/boot.py (kiosk/boot.py: switches to a downloaded release and
#   back when it fails), the virtualenv /opt/kiosk/.venv and Debian packages through setup.sh,
#   and cage and XWayland;
# - the unprivileged account `kiosk` (no password, no shell) in the groups of its devices:
#   dialout (serial readers and scanners), lp (receipt printers), video (cameras), audio,
#   plugdev (USB HID ID readers, deploy/99-kiosk-devices.rules);
# - /etc/kiosk/kiosk.toml: config/default.toml against the remote platform, with the terminal's
#   id, hall and key (readable by root and the kiosk account only), data in /var/lib/kiosk,
#   no simulator panel; the [devices.*] sections are then set for the terminal's hardware;
# - udev rules, the polkit rule of the staff menu (reboot, power off, stop the kiosk), and
#   deploy/kiosk.service enabled: cage on tty1 at boot, nothing else.
#
# The key file holds the terminal's key from `main.py central add-terminal` on the platform
# (never on the command line, where `ps` shows it). `--release-key PEM` is the platform's
# Ed25519 key that signs releases (GET /api/v1/signing-key; compare its fingerprint with the
# platform's): with it, remote update is on. `--root DIR` installs into DIR instead of /, and
# `--no-packages` leaves out apt and the virtualenv: both for the tests.
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")/.." && pwd)"

ROOT="/" PLATFORM="" TERMINAL_ID="" HALL="" KEY_FILE="" RELEASE_KEY="" PACKAGES=1
while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT="$2"; shift 2 ;;
        --platform) PLATFORM="$2"; shift 2 ;;
        --terminal-id) TERMINAL_ID="$2"; shift 2 ;;
        --hall) HALL="$2"; shift 2 ;;
        --key-file) KEY_FILE="$2"; shift 2 ;;
        --release-key) RELEASE_KEY="$2"; shift 2 ;;
        --no-packages) PACKAGES=0; shift ;;
        *) echo "install.sh: unknown argument $1 (see the head of this file)" >&2; exit 2 ;;
    esac
done
[ -n "$PLATFORM" ] && [ -n "$TERMINAL_ID" ] && [ -n "$HALL" ] && [ -n "$KEY_FILE" ] || {
    echo "install.sh: --platform, --terminal-id, --hall and --key-file are required" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root" >&2; exit 2; }
[ -r "$KEY_FILE" ] || { echo "install.sh: cannot read the key file $KEY_FILE" >&2; exit 2; }
KEY="$(tr -d '[:space:]' < "$KEY_FILE")"
[ ${#KEY} -ge 16 ] || { echo "install.sh: the key in $KEY_FILE is too short" >&2; exit 2; }
if [ -n "$RELEASE_KEY" ] && ! grep -q "BEGIN PUBLIC KEY" "$RELEASE_KEY" 2>/dev/null; then
    echo "install.sh: $RELEASE_KEY is not a PEM public key" >&2; exit 2
fi
case "$PLATFORM" in
    https://*|http://*) ;;
    *) echo "install.sh: --platform must be the platform's API address (https://…/api/v1)" >&2
       exit 2 ;;
esac
R="${ROOT%/}"

VERSION="$(git -C "$SOURCE" describe --tags --always --dirty)"
RELEASE="$R/opt/kiosk/releases/$VERSION"
echo "== code: release $VERSION in $RELEASE"
mkdir -p "$RELEASE"
# what is tracked, not a developer's venv, data or caches
(cd "$SOURCE" && git ls-files -z) | (cd "$SOURCE" && xargs -0 tar -cf - --) \
    | tar -xf - -C "$RELEASE" --no-same-owner
printf '%s\n' "$VERSION" > "$RELEASE/VERSION"
# outside the releases, so a release that cannot start cannot stop its own rollback
install -m 0755 "$RELEASE/kiosk/boot.py" "$R/opt/kiosk/boot.py"
ln -sfn "releases/$VERSION" "$R/opt/kiosk/.current.new"
mv -T "$R/opt/kiosk/.current.new" "$R/opt/kiosk/current"  # atomically, as kiosk/boot.py does
chown -R root:root "$RELEASE"
chmod -R go-w "$RELEASE"

if [ "$PACKAGES" -eq 1 ]; then
    echo "== packages and the virtualenv"
    # polkitd: the staff menu's reboot, power off and 退出到桌面 (deploy/50-kiosk.rules)
    apt-get install -y -qq --no-install-recommends cage xwayland polkitd >/dev/null
    # one virtualenv for every release (/opt/kiosk/.venv), seen from this one as its .venv
    [ -x "$R/opt/kiosk/.venv/bin/python" ] || python3 -m venv "$R/opt/kiosk/.venv"
    ln -sfn ../../.venv "$RELEASE/.venv"
    bash "$RELEASE/setup.sh"
    # what the kiosk would otherwise write into its own (read-only) code at first start: the
    # compiled translations and bytecode
    (cd "$RELEASE" && QT_QPA_PLATFORM=offscreen .venv/bin/python -c \
        'from ui.i18n import LANGUAGES, compiled; [compiled(name) for name in LANGUAGES]' \
        && .venv/bin/python -m compileall -q -x '/\.venv/' .)
fi

echo "== the kiosk account"
if ! grep -q '^kiosk:' "$R/etc/passwd"; then
    useradd --prefix "$R" --system --user-group --home-dir /var/lib/kiosk --no-create-home \
        --shell /usr/sbin/nologin --comment "self-service kiosk" kiosk
fi
for group in dialout lp video audio plugdev input render; do
    if grep -q "^$group:" "$R/etc/group"; then
        usermod --prefix "$R" --append --groups "$group" kiosk
    fi
done
KIOSK_UID="$(awk -F: '$1 == "kiosk" {print $3}' "$R/etc/passwd")"
KIOSK_GID="$(awk -F: '$1 == "kiosk" {print $4}' "$R/etc/passwd")"
install -d -m 0750 -o "$KIOSK_UID" -g "$KIOSK_GID" "$R/var/lib/kiosk"
# the kiosk unpacks the releases it downloads here (kiosk/updates.py, after checking their
# signature); the installed one stays root's
install -d -m 0755 -o "$KIOSK_UID" -g "$KIOSK_GID" "$R/opt/kiosk/releases"

echo "== /etc/kiosk/kiosk.toml"
install -d -m 0755 "$R/etc/kiosk"
CONFIG="$R/etc/kiosk/kiosk.toml"
# TOML basic strings: escape backslashes and quotes of what the technician typed
toml() { local value="${1//\\/\\\\}"; printf '"%s"' "${value//\"/\\\"}"; }
# (through the environment: awk -v would undo the escaping)
ID="$(toml "$TERMINAL_ID")" HALL_NAME="$(toml "$HALL")" KEY="$(toml "$KEY")" \
    URL="$(toml "$PLATFORM")" awk '
    /^\[/ { section = $0 }
    section == "[terminal]" && /^id = /   { print "id = " ENVIRON["ID"]; next }
    section == "[terminal]" && /^hall = / { print "hall = " ENVIRON["HALL_NAME"]; next }
    section == "[terminal]" && /^key = /  { print "key = " ENVIRON["KEY"]; next }
    section == "[data]" && /^dir = /      { print "dir = \"/var/lib/kiosk\""; next }
    section == "[platform]" && /^mode = / { print "mode = \"remote\""; next }
    section == "[platform]" && /^url = /  { print "url = " ENVIRON["URL"]; next }
    section == "[ui]" && /^simulator_panel = / { print "simulator_panel = false"; next }
    { print }' "$SOURCE/config/default.toml" > "$CONFIG.new"
if [ -n "$RELEASE_KEY" ]; then  # remote update on (config/default.toml, [updates])
    install -m 0644 "$RELEASE_KEY" "$R/etc/kiosk/platform-release-key.pem"
    sed -i -e 's|^# root = "/opt/kiosk"$|root = "/opt/kiosk"|' \
        -e 's|^# public_key = "/etc/kiosk/platform-release-key.pem"$|public_key = "/etc/kiosk/platform-release-key.pem"|' \
        "$CONFIG.new"
fi
chown "root:$KIOSK_GID" "$CONFIG.new"
chmod 0640 "$CONFIG.new"
mv "$CONFIG.new" "$CONFIG"

echo "== udev rules and the unit"
install -D -m 0644 "$SOURCE/deploy/99-kiosk-devices.rules" \
    "$R/etc/udev/rules.d/99-kiosk-devices.rules"
install -D -m 0644 "$SOURCE/deploy/50-kiosk.rules" "$R/etc/polkit-1/rules.d/50-kiosk.rules"
install -D -m 0644 "$SOURCE/deploy/kiosk.service" "$R/etc/systemd/system/kiosk.service"
if [ "$R" = "" ]; then
    udevadm control --reload || true
    systemctl daemon-reload
    systemctl enable kiosk.service
    systemctl set-default graphical.target
else
    systemctl --root="$R" enable kiosk.service
    # what set-default does, in a root that holds no systemd of its own
    ln -sfn /lib/systemd/system/graphical.target "$R/etc/systemd/system/default.target"
fi

cat <<EOF
Installed. Next:
  1. set the [devices.*] sections of /etc/kiosk/kiosk.toml for this terminal's hardware
  2. /opt/kiosk/.venv/bin/python /opt/kiosk/current/main.py --config /etc/kiosk/kiosk.toml devices check
  3. sudo -u kiosk /opt/kiosk/.venv/bin/python /opt/kiosk/current/main.py --config /etc/kiosk/kiosk.toml staff-pin set
  4. reboot: the terminal starts into the kiosk
EOF
