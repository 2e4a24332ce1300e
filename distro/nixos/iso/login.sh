# shellcheck shell=sh
# The installer ISO's login hook (environment.loginShellInit in default.nix).
#
# Runs in every login shell; only root acts on it. The first root login gets
# an editable spec in ~/aster-config.toml. With aster_auto_install=1 (the
# ISO's autoInstall), the first root login on the virtio console installs
# that spec onto /dev/vda and powers off whatever the outcome, as upstream's
# ISO does: an unattended run must end, and the console log says how it went.
#
# default.nix sets aster_auto_install before this text. The paths can be
# moved for tests (distro/tests/iso.rs); the ISO uses the defaults.
aster_starter=${aster_starter:-/etc/aster-nixos/starter.toml}
aster_started=${aster_started:-/run/aster-nixos-auto-install-started}
if [ "$(id -u)" = 0 ]; then
  if [ ! -e "$HOME/aster-config.toml" ]; then
    install -m 0644 "$aster_starter" "$HOME/aster-config.toml"
    echo "Edit ~/aster-config.toml, then run:"
    echo "  aster-nixos-install --config ~/aster-config.toml --disk /dev/vda --force-format-disk"
  fi
  if [ "${aster_auto_install:-0}" = 1 ] && [ "$(tty)" = /dev/hvc0 ] && [ ! -e "$aster_started" ]; then
    # Once per boot: a second login on hvc0 (after a failure) gets a shell.
    touch "$aster_started"
    if ! aster-nixos-install --config "$HOME/aster-config.toml" --disk /dev/vda --force-format-disk; then
      echo "aster-nixos-install failed; see the messages above"
    fi
    poweroff
  fi
fi
unset aster_starter aster_started aster_auto_install
