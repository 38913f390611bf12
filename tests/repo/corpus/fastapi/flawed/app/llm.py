import os

from openai import AsyncOpenAI

OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
client = AsyncOpenAI(api_key=OPENAI_API_KEY)
print("Using OpenAI key", OPENAI_API_KEY)  # expect: repo.logging-secret-value


async def answer(prompt: str) -> str:
    result = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
    )
    return result.choices[0].message.content or ""
