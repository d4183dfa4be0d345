from django.core.management.base import BaseCommand

from search.backends import get_backend
from search.documents import count_objects, registered_types
from search.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Rebuild the discovery search index from the published content. Safe while the site "
        "serves: searches keep using the old index until the new one is complete."
    )

    def handle(self, *args, **options):
        backend = get_backend()
        types = registered_types()
        self.stdout.write(f"Backend: {type(backend).__name__}; content types: "
                          f"{', '.join(types) or 'none'}")
        # Read everything first, so that the swap itself is short.
        reading = ProgressBar(self.stdout, count_objects(), "Reading content")
        documents = []
        for indexed in types.values():
            for obj in indexed.all_objects().iterator(chunk_size=500):
                documents.extend(indexed.documents_for(obj))
                reading.advance()
        reading.finish()
        writing = ProgressBar(self.stdout, len(documents), "Writing index")
        written = backend.rebuild(documents, progress=writing.advance)
        writing.finish()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {written} documents."))
