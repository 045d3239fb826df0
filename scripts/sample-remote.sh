#!/usr/bin/env bash
# The sample world through the daemon, with the partners on servers of their own on this machine:
#   - Amazon drops its order reports on an SFTP server (OpenSSH's sshd on loopback); omnihub fetches
#     them, moves them to done/ once imported, and uploads shipping confirmations and inventory feeds;
#   - the warehouse's shipment report comes the same way;
#   - Bavaria Living gets its purchase orders uploaded by SFTP; Nordic Home fetches its own over HTTP
#     from omnihub's server with its token, acknowledges them, and uploads its dispatch report;
#   - the ERP's invoices and DATEV bookings are delivered by SFTP.
# The daemon is stopped with SIGTERM, and what went where is printed. Everything lives in
# var/remote-demo/ (keys, servers' folders, store): run it again and nothing is imported or sent
# twice. `rm -rf var/remote-demo` starts over.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scripts/setup-debian.sh
scripts/setup-test-servers.sh
scripts/fetch-ubl-schemas.sh
swift build --product omnihub
omnihub=$repo/.build/debug/omnihub

demo=$repo/var/remote-demo
sftp=$demo/sftp
mkdir -p "$demo/keys" "$demo/secrets" "$sftp"/{amazon/outgoing,amazon/incoming,wms/outgoing,bavaria/incoming,erp/in} \
    "$demo/pulled"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The partners' SFTP server: a host key and omnihub's login key, made once.
[ -f "$demo/keys/host_key" ] || ssh-keygen -q -t ecdsa -N "" -f "$demo/keys/host_key"
[ -f "$demo/keys/omnihub_key" ] || ssh-keygen -q -t ecdsa -m PEM -N "" -f "$demo/keys/omnihub_key"
cp "$demo/keys/omnihub_key.pub" "$demo/keys/authorized_keys"
[ -f "$demo/secrets/nordic.token" ] || python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$demo/secrets/nordic.token"
sftp_port=$(free_port)
http_port=$(free_port)
fingerprint=$(ssh-keygen -l -E sha256 -f "$demo/keys/host_key.pub" | awk '{print $2}')
cat > "$demo/sshd_config" <<CONFIG
ListenAddress 127.0.0.1
Port $sftp_port
HostKey $demo/keys/host_key
PidFile $demo/sshd.pid
AuthorizedKeysFile $demo/keys/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
LogLevel ERROR
CONFIG
mkdir -p /run/sshd 2>/dev/null || true
/usr/sbin/sshd -f "$demo/sshd_config" -E "$demo/sshd.log"
trap 'kill $(cat "$demo/sshd.pid") 2>/dev/null || true' EXIT

# omnihub.yaml of the demo: the shipped one, with the partners' servers.
python3 - "$repo" "$demo" "$sftp_port" "$http_port" "$fingerprint" "$(whoami)" <<'PYTHON'
import sys
repo, demo, sftp_port, http_port, fingerprint, user = sys.argv[1:]
text = open(f"{repo}/omnihub.yaml").read()
text = text.replace("mappings/", f"{repo}/mappings/").replace("network/", f"{repo}/network/")
text = text.replace("poll_interval_seconds: 60", "poll_interval_seconds: 2")
login = f"""user: {user}
          private_key: keys/omnihub_key
          host_key: {{sha256: "{fingerprint}"}}
          every_seconds: 1"""
def source(folder, after):
    return f"""        source:
          url: sftp://127.0.0.1:{sftp_port}{demo}/sftp/{folder}/
          {login}
          after_import: {after}
"""
amazon = f'        mapping: {repo}/mappings/amazon-de-orders.yaml\n'
text = text.replace(amazon, amazon + source("amazon/outgoing", "move to done"))
shipments = f'        mapping: {repo}/mappings/wms-central-shipments.yaml\n'
text = text.replace(shipments, shipments + source("wms/outgoing", "delete"))
nordic = "  - id: dropship-nordic\n    name: Nordic Home (dropshipper, stock changes)\n"
text = text.replace(nordic, nordic + "    pull: {token: {file: secrets/nordic.token}, upload_feed: dispatches}\n")
def destination(name, folder):
    return f"""  - name: {name}
    url: sftp://127.0.0.1:{sftp_port}{demo}/sftp/{folder}/
    {login.replace(chr(10) + '          ', chr(10) + '    ')}
"""
text += f"""
server:
  listen: 127.0.0.1:{http_port}

destinations:
{destination("amazon-de", "amazon/incoming")}{destination("dropship-bavaria", "bavaria/incoming")}{destination("erp", "erp/in")}"""
open(f"{demo}/omnihub.yaml", "w").write(text)
PYTHON

cd "$demo"
config=$demo/omnihub.yaml
if [ ! -f seeded ]; then
    echo "== first run: Amazon's reports on its SFTP server, the other partners' files in their inboxes"
    cp -v "$repo"/sample-world/inbox/amazon-de/* sftp/amazon/outgoing/
    for folder in "$repo"/sample-world/inbox/*/; do
        partner=$(basename "$folder")
        [ "$partner" = amazon-de ] && continue
        mkdir -p "inbox/$partner" && cp "$folder"* "inbox/$partner/"
    done
    touch seeded
fi

echo
echo "== omnihub run (the daemon), HTTP on 127.0.0.1:$http_port"
"$omnihub" run --config "$config" --log-level notice > daemon.log 2>&1 &
daemon=$!
token=$(cat secrets/nordic.token)
api=http://127.0.0.1:$http_port/partners/dropship-nordic

# Waits until `omnihub status --json` says nothing is waiting and every fetched file is in.
settle() {
    for _ in $(seq 1 120); do
        if "$omnihub" status --json --config "$config" 2>/dev/null | python3 -c '
import json, sys
rows = json.load(sys.stdin)
sys.exit(0 if all(r["backlog"] == 0 and r["lastPollAt"] for r in rows if r["direction"] == "outbound" and r["url"].startswith("sftp")) else 1)'
        then sleep 3; return 0; fi
        sleep 1
    done
    echo "the daemon did not settle within two minutes; see $demo/daemon.log" >&2
}

until curl -sf "http://127.0.0.1:$http_port/healthz" > /dev/null; do sleep 0.5; done
sleep 6
settle

echo
echo "== Nordic Home fetches its purchase orders over HTTP with its token, and acknowledges them"
for id in $(curl -sf -H "Authorization: Bearer $token" "$api/documents" | python3 -c 'import json,sys; print(" ".join(str(d["id"]) for d in json.load(sys.stdin)))'); do
    name=$(curl -sf -H "Authorization: Bearer $token" "$api/documents" | python3 -c "import json,sys; print([d['name'] for d in json.load(sys.stdin) if d['id']==$id][0])")
    curl -sf -H "Authorization: Bearer $token" "$api/documents/$id" -o "pulled/$name"
    curl -sf -X POST -H "Authorization: Bearer $token" "$api/documents/$id/ack" > /dev/null
    echo "   pulled/$name"
done
echo "   another partner's token on Nordic Home's documents: HTTP $(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer not-the-token' "$api/documents")"

if [ ! -f later-sent ]; then
    echo
    echo "== later: the warehouse's shipment report on its SFTP server, Nordic Home uploads its dispatches, the store's handover in its inbox"
    cp -v "$repo"/sample-world/later/wms-central/* sftp/wms/outgoing/
    for file in "$repo"/sample-world/later/dropship-nordic/*; do
        echo "   PUT $(basename "$file"): HTTP $(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$file" -H "Authorization: Bearer $token" "$api/inbox/$(basename "$file")")"
    done
    mkdir -p inbox/store-system && cp "$repo"/sample-world/later/store-system/* inbox/store-system/
    touch later-sent
    sleep 8
    settle
fi

echo
echo "== SIGTERM to the daemon"
kill -TERM "$daemon"
wait "$daemon" || true
tail -n 1 daemon.log

echo
echo "== what went where"
"$omnihub" status --config "$config" || true
for folder in amazon/outgoing amazon/outgoing/done amazon/incoming wms/outgoing bavaria/incoming erp/in; do
    echo "sftp/$folder: $(find "sftp/$folder" -maxdepth 1 -type f | wc -l) file(s)"
done
echo "pulled by Nordic Home over HTTP: $(find pulled -type f | wc -l) file(s)"
"$omnihub" files list --config "$config" --limit 20
