from anthropic import Anthropic

client = Anthropic()


def complete(message: str) -> str:
    result = client.messages.create(
        model="claude-3-5-haiku-latest", max_tokens=512, messages=[{"role": "user", "content": message}]
    )
    return result.content[0].text
