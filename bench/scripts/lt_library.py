#!/usr/bin/python3
"""A libtorrent session holding many torrents, saved and loaded with resume data, for the restart benchmark.

  lt_library.py prepare STATE_DIR SAVE_DIR TORRENT...   add every torrent (not auto-managed), wait until the
                                                         ones with data are checked, save resume data into
                                                         STATE_DIR (one .resume file per torrent), exit
  lt_library.py serve STATE_DIR PORT                     load every .resume file of STATE_DIR into a new
                                                         session listening on 127.0.0.1:PORT and serve until
                                                         killed (SIGINT/SIGTERM)

TCP only, DHT/LSD/UPnP/NAT-PMP off, as lt_tool.py. Runs under Debian's /usr/bin/python3.
"""
import os
import signal
import sys
import time

import libtorrent as lt


def make_session(port):
    return lt.session({
        "listen_interfaces": "127.0.0.1:%d" % port,
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | lt.alert.category_t.storage_notification,
    })


def prepare(state_dir, save_dir, torrents):
    os.makedirs(state_dir, exist_ok=True)
    session = make_session(0)
    handles = []
    for path in torrents:
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(path)
        params.save_path = save_dir
        params.flags &= ~lt.torrent_flags.auto_managed
        params.flags &= ~lt.torrent_flags.paused
        handles.append(session.add_torrent(params))
    # Wait until no torrent is checking any more.
    deadline = time.time() + 600
    while any(h.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
              for h in handles):
        if time.time() > deadline:
            sys.stderr.write("lt_library: checking took too long\n")
            return 1
        time.sleep(0.1)
    for handle in handles:
        handle.save_resume_data(lt.torrent_handle.save_info_dict)
    saved = 0
    deadline = time.time() + 120
    while saved < len(handles) and time.time() < deadline:
        for alert in session.pop_alerts():
            if isinstance(alert, lt.save_resume_data_alert):
                name = str(alert.params.info_hashes.v1)
                with open(os.path.join(state_dir, name + ".resume"), "wb") as out:
                    out.write(lt.write_resume_data_buf(alert.params))
                saved += 1
            elif isinstance(alert, lt.save_resume_data_failed_alert):
                sys.stderr.write("lt_library: %s\n" % alert.message())
                return 1
        time.sleep(0.01)
    print("saved %d" % saved, flush=True)
    return 0 if saved == len(handles) else 1


def serve(state_dir, port):
    def stop(signum, frame):
        sys.exit(0)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    session = make_session(port)
    for name in sorted(os.listdir(state_dir)):
        if name.endswith(".resume"):
            with open(os.path.join(state_dir, name), "rb") as data:
                params = lt.read_resume_data(data.read())
            params.flags &= ~lt.torrent_flags.auto_managed
            params.flags &= ~lt.torrent_flags.paused
            session.async_add_torrent(params)
    print("loaded", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "prepare":
        sys.exit(prepare(sys.argv[2], sys.argv[3], sys.argv[4:]))
    if len(sys.argv) == 4 and sys.argv[1] == "serve":
        sys.exit(serve(sys.argv[2], int(sys.argv[3])))
    sys.stderr.write(__doc__)
    sys.exit(2)
