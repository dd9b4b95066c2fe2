"""No uploaded file is read past the largest the portal accepts (the 5 MB ID scan).

Django would otherwise write any size to a temporary file before a form saw it. A file
over the cap is skipped (the rest of it is read and dropped, never stored) and the request
is marked, so the page can say why the file is missing.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeCapUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_FILE_BYTES:
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers keep the file
