import { CommentActions } from "./comment-actions";
import styles from "./grading.module.css";
import { Markdown } from "./markdown";
import { TextHistory } from "./text-history";
import { formatUtc } from "~/lib/format";

export interface CommentItem {
  id: string;
  cellIndex: number;
  body: string;
  author: string;
  authorId?: string | null;
  /** the revision `body` is (the grader's view only): sent back with an edit */
  baseNumber?: number;
  createdAt: Date;
  editedAt: Date | null;
}

/** The comments under one notebook cell. `editorId`: the grader viewing, who may edit their own (admins any). */
export function CommentList({ comments, editor }: { comments: CommentItem[]; editor?: { id: string; admin: boolean } }) {
  if (comments.length === 0) return null;
  return (
    <ul className={styles.comments} aria-label="Comments">
      {comments.map((c) => (
        <li key={c.id} className={styles.comment} data-testid="cell-comment">
          <div className={styles.commentMeta}>
            <strong>{c.author}</strong>
            <span>{formatUtc(c.createdAt)}</span>
            {c.editedAt ? <span>(edited)</span> : null}
          </div>
          <Markdown text={c.body} />
          {editor && (editor.admin || editor.id === c.authorId) ? <CommentActions id={c.id} body={c.body} baseNumber={c.baseNumber ?? 0} /> : null}
          {editor && c.editedAt ? <TextHistory text={{ of: "comment", commentId: c.id }} label="Comment history" /> : null}
        </li>
      ))}
    </ul>
  );
}
