"""The asyncio clients: ``AsyncServerClient`` and ``AsyncAccountClient``, with
every method of the blocking clients as a coroutine (``<name>_all`` as an async
iterator), over an async HTTP client: aiohttp (``pip install postmark-kit[async]``),
or one of your own (``http_client=``: an aiohttp session, or an httpx2 or httpx client).

::

    from postmark_kit.aio import AsyncServerClient

    async with AsyncServerClient() as client:  # POSTMARK_SERVER_TOKEN
        sent = await client.send_email(From="you@example.com", To="them@example.com",
                                       Subject="Hello", TextBody="Hi")
        async for bounce in client.list_bounces_all(type="HardBounce"):
            print(bounce["Email"])

The types are in ``aio.pyi``, generated from the operation table with the
blocking clients' stub; the methods are made from the same table at import.
"""

from postmark_kit._aio import AsyncAccountClient, AsyncPages, AsyncServerClient

__all__ = ["AsyncAccountClient", "AsyncPages", "AsyncServerClient"]
