"""Values worked out once from an object and kept while the object comes back."""

from collections.abc import Callable, Hashable

_ABSENT = object()  # no value kept (a value kept may be falsy)


class KeptPerObject:
    """`make(obj)`, worked out once per value of `obj` and found first by its identity.

    Meant for the CA certificates of a check: the same objects come with every signature
    (the roots of a TrustConfig, the intermediates parsed once), and hashing a
    certificate for a dict costs about 2 µs at each lookup, as much as some of the
    values kept. So the object's id is looked up first; an object
    not seen before is looked up by equality (a certificate equals another with the same
    DER), and only then is `make` called. Each entry holds its object, so that no other
    object can take its id while the entry lives. `make` must depend on the object's
    value alone. At most `size` values: when full, all are forgotten.
    """

    def __init__(self, make: Callable, size: int = 256):
        self._make, self._size = make, size
        self._by_id: dict[int, tuple] = {}
        self._by_value: dict[Hashable, object] = {}

    def __call__(self, obj):
        entry = self._by_id.get(id(obj))
        if entry is not None and entry[0] is obj:
            return entry[1]
        if len(self._by_value) >= self._size or len(self._by_id) >= 2 * self._size:
            self._by_id.clear()
            self._by_value.clear()
        value = self._by_value.get(obj, _ABSENT)
        if value is _ABSENT:
            value = self._by_value[obj] = self._make(obj)
        self._by_id[id(obj)] = (obj, value)
        return value
