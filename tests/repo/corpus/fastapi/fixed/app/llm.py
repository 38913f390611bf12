import os

from openai import AsyncOpenAI

client = AsyncOpenAI(api_key=os.environ["OPENAI_API_KEY"])
print("OpenAI key configured:", bool(os.environ.get("OPENAI_API_KEY")))


async def answer(prompt: str) -> str:
    result = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
    )
    return result.choices[0].message.content or ""
