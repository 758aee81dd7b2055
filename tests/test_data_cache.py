"""The server's checked copy of the atlas is used only while the files are unchanged."""

import os
import shutil

import scoda_map
from conftest import MINIMAL
from scoda_map._data.cache import read_cache, write_cache


def test_a_current_cache_gives_the_same_atlas(minimal_copy):
    atlas = scoda_map.load(minimal_copy)
    path = write_cache(atlas)
    try:
        cached = read_cache(path, minimal_copy)
        assert cached is not None and cached.measures_for("r-almaty").equals(atlas.measures_for("r-almaty"))
        assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    finally:
        shutil.rmtree(path.parent)


def test_an_edited_file_or_another_folder_reads_the_files_again(minimal_copy, tmp_path):
    path = write_cache(scoda_map.load(minimal_copy))
    try:
        routes = minimal_copy / "routes.csv"
        stat = routes.stat()
        os.utime(routes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert read_cache(path, minimal_copy) is None
        assert read_cache(path, MINIMAL) is None
        path.write_bytes(b"not a pickle")
        assert read_cache(path, minimal_copy) is None
        assert read_cache(None, minimal_copy) is None
    finally:
        shutil.rmtree(path.parent)
