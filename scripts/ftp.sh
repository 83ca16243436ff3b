#!/usr/bin/env bash
# Brings up a private FTP server for the tests and prints its settings on stdout, as one line:
#   Host=127.0.0.1;Port=52121;PurePw=/usr/bin/pure-pw;PasswdFile=…;DatabaseFile=…;HomeRoot=…;SystemUser=pdsftp
# The server is Debian's pure-ftpd with virtual users (pure-pw's passwd file compiled into a PureDB file, read at every
# login), so the tests issue accounts exactly as the product does. Installs the package when missing (needs root: the
# virtual users map to a system user, pure-ftpd chroots them). Idempotent: a server already running on the port is
# reused. Settings: PDS_FTP_PORT (52121), PDS_FTP_ROOT (/tmp/pdsworkflow-ftp), PDS_FTP_PASSIVE (52200:52299).
set -euo pipefail

port=${PDS_FTP_PORT:-52121}
root=${PDS_FTP_ROOT:-/tmp/pdsworkflow-ftp}
passive=${PDS_FTP_PASSIVE:-52200:52299}
user=pdsftp
say() { echo "ftp.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "not root: cannot run pure-ftpd with virtual users (it chroots them and maps them to a system user)"
  exit 3
fi

if ! command -v pure-ftpd >/dev/null 2>&1 || ! command -v pure-pw >/dev/null 2>&1; then
  say "installing Debian's pure-ftpd package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's own service is not wanted: only the private server below runs.
  apt-get install -y -qq pure-ftpd >&2
fi

id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
mkdir -p "$root/home"
# pure-ftpd (root) creates each account's home here at its first login, then hands it to the account's system user.
chown root: "$root/home"
passwd_file="$root/pureftpd.passwd"
pdb="$root/pureftpd.pdb"
# pure-ftpd needs the PureDB file to exist before the first login; an empty user list compiles to one.
[ -f "$passwd_file" ] || : > "$passwd_file"
[ -f "$pdb" ] || pure-pw mkdb "$pdb" -f "$passwd_file" >&2

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

if ! listening; then
  say "starting pure-ftpd on 127.0.0.1:$port (virtual users in $root)"
  # -l puredb: virtual users only; -E no anonymous; -A chroot everyone; -j create homes; -H no DNS; -4 IPv4.
  pure-ftpd -S "127.0.0.1,$port" -l "puredb:$pdb" -E -A -j -H -4 -p "$passive" -P 127.0.0.1 \
    -g "$root/pure-ftpd.pid" -B >&2
  for _ in $(seq 1 50); do listening && break; sleep 0.1; done
  listening || { say "pure-ftpd did not start listening on $port"; exit 1; }
fi

echo "Host=127.0.0.1;Port=$port;PurePw=$(command -v pure-pw);PasswdFile=$passwd_file;DatabaseFile=$pdb;HomeRoot=$root/home;SystemUser=$user"
