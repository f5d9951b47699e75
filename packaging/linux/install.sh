#!/bin/sh
# Install Hearth for the current user, from the unpacked release archive; no root needed.
#
#   ./install.sh              install (or upgrade) into the XDG folders under your home
#   ./install.sh --uninstall  remove what install.sh put there (your chats and models stay)
#
# Where things go (XDG_DATA_HOME defaults to ~/.local/share):
#   the app           $XDG_DATA_HOME/hearth/app/
#   the command       ~/.local/bin/hearth (a link to the app)
#   the menu entry    $XDG_DATA_HOME/applications/io.github.hearth_app.Hearth.desktop
#   the icon          $XDG_DATA_HOME/icons/hicolor/<size>/apps/io.github.hearth_app.Hearth.*
#   software centres  $XDG_DATA_HOME/metainfo/io.github.hearth_app.Hearth.metainfo.xml
set -eu

APP_ID=io.github.hearth_app.Hearth
here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
bin_dir=${HEARTH_BIN_DIR:-$HOME/.local/bin}
app_dir=$data_home/hearth/app

refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data_home/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data_home/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$data_home/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$app_dir"
  rmdir "$data_home/hearth" 2>/dev/null || true
  [ -L "$bin_dir/hearth" ] && rm -f "$bin_dir/hearth"
  rm -f "$data_home/applications/$APP_ID.desktop" "$data_home/metainfo/$APP_ID.metainfo.xml"
  find "$data_home/icons/hicolor" -name "$APP_ID.*" -type f -exec rm -f {} + 2>/dev/null || true
  refresh_caches
  echo "Hearth is uninstalled (conversations, settings and models are kept)."
  exit 0
fi
if [ $# -gt 0 ]; then
  echo "usage: $0 [--uninstall]" >&2
  exit 2
fi
if [ ! -x "$here/hearth/hearth" ]; then
  echo "install.sh: run me from the unpacked Hearth archive (hearth/hearth is missing)" >&2
  exit 1
fi

# Copy next to the old app, then swap, so a failed copy leaves the old install working.
mkdir -p "$data_home/hearth"
rm -rf "$app_dir.new"
cp -R "$here/hearth" "$app_dir.new"
rm -rf "$app_dir"
mv "$app_dir.new" "$app_dir"

mkdir -p "$bin_dir" "$data_home/applications" "$data_home/metainfo"
ln -sf "$app_dir/hearth" "$bin_dir/hearth"
# The menu runs the app by its full path: ~/.local/bin is not on every desktop's PATH.
sed "s|^Exec=hearth|Exec=\"$app_dir/hearth\"|" "$here/share/applications/$APP_ID.desktop" \
  > "$data_home/applications/$APP_ID.desktop"
cp "$here/share/metainfo/$APP_ID.metainfo.xml" "$data_home/metainfo/"
mkdir -p "$data_home/icons"
cp -R "$here/share/icons/hicolor" "$data_home/icons/"
refresh_caches

echo "Hearth is installed: find it in your applications menu, or run $bin_dir/hearth"
# The bundle carries the X11/Wayland libraries Qt's window needs beyond a base desktop;
# say what to install if this system still lacks one (the terminal commands work anyway).
if ! window_check=$("$app_dir/hearth" --check-window 2>&1); then
  echo "$window_check"
fi
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "(add $bin_dir to your PATH to run 'hearth' by name)" ;;
esac
