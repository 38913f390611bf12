export async function markPaid(sessionId: string): Promise<void> {
  console.log('paid', sessionId);
}
