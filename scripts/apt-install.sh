# Sourced by the check scripts: apt_install PACKAGE... installs the Debian
# packages given (those a check found missing), with sudo when not root.
apt_install() {
    [ $# -gt 0 ] || return 0
    echo "installing $* with apt-get"
    local SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}
