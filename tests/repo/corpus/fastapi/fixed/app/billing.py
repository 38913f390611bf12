async def mark_paid(session_id: str) -> None:
    print("paid", session_id)
