"""Replicas that sync: the device identity and the team's key (device.py), the merge of other
devices' changes (merge.py) and sync through a folder (folder.py). The change log itself is
written at the write seam, app/db/changelog.py."""
