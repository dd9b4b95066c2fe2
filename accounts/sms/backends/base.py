import abc


class SmsBackend(abc.ABC):
    def __init__(self, **options):
        self.options = options

    @abc.abstractmethod
    def send(self, *, phone: str, text: str, message_id: str) -> None:
        """Hand one message to the gateway, or raise SmsTransientError/SmsPermanentError.

        `message_id` is stable across retries: a gateway that honours it sends once.
        """
