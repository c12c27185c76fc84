import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="page narrow">
      <div className="panel">
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address.</p>
        <p>
          <Link href="/">Back to missions</Link>
        </p>
      </div>
    </main>
  );
}
