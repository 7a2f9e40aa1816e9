import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="narrow card" role="alert">
      <h1>Not allowed</h1>
      <p>Your account does not have the role this page needs. If you think it should, ask an admin of this course.</p>
      <Link href="/">Back to the lessons</Link>
    </div>
  );
}
