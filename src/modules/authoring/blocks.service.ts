import type { Db } from '../../platform/db.js';
import { NotFound, ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findActivityOfKind } from '../courses/index.js';
import * as repo from './authoring.repo.js';
import {
  BlockData,
  FileBlockForm,
  H5pBlockForm,
  ImageBlockForm,
  QuizBlockForm,
  TextBlockForm,
  UploadForm,
  VideoBlockForm,
} from './authoring.schemas.js';
import { blockOf, changeDraft, courseForAuthor, lessonOf } from './editor.service.js';
import { storeUpload } from './files.service.js';
import type { FileStore } from './files.storage.js';
import type { Upload } from './uploads.js';
import { videoEmbed } from './video.js';

export interface BlockDeps {
  store: FileStore;
  peertubeHosts: readonly string[];
}

const NEW_BLOCK = {
  text: { kind: 'text', data: { markdown: '' } },
  quiz: { kind: 'quiz', data: { title: '', passMark: 80, questions: [] } },
  'video-link': { kind: 'video', data: { source: 'link', url: '', title: '' } },
  h5p: { kind: 'h5p', data: { activityId: '', title: '' } },
} as const;

export async function addBlock(
  db: Db,
  actor: SessionUser,
  id: string,
  lessonId: string,
  kind: keyof typeof NEW_BLOCK,
) {
  const course = await courseForAuthor(db, actor, id);
  const lesson = await lessonOf(db, course.id, lessonId);
  const { kind: k, data } = NEW_BLOCK[kind];
  return changeDraft(db, course.id, (trx) =>
    repo.insertBlock(trx, { courseId: course.id, lessonId: lesson.id, kind: k, data }),
  );
}

/** An image, file or video block from an upload; images need their alternative text first. */
export async function addUploadBlock(
  db: Db,
  deps: BlockDeps,
  actor: SessionUser,
  id: string,
  lessonId: string,
  body: unknown,
  upload: Upload | undefined,
) {
  const course = await courseForAuthor(db, actor, id);
  const lesson = await lessonOf(db, course.id, lessonId);
  const form = parseForm(UploadForm, body);
  if (form.kind === 'image' && !form.alt) throw new ValidationFailed({ alt: 'authoring:errors.altRequired' });
  const file = await storeUpload(db, deps.store, {
    courseId: course.id,
    kind: form.kind,
    upload,
    userId: actor.id,
  });
  const data =
    form.kind === 'image'
      ? { fileId: file.id, alt: form.alt, caption: '' }
      : form.kind === 'file'
        ? { fileId: file.id, label: form.label }
        : { source: 'file', fileId: file.id, url: '', title: form.label };
  return changeDraft(db, course.id, (trx) =>
    repo.insertBlock(trx, { courseId: course.id, lessonId: lesson.id, kind: form.kind, data }),
  );
}

/** Replaces the course's cover image. */
export async function uploadCover(
  db: Db,
  deps: BlockDeps,
  actor: SessionUser,
  id: string,
  upload: Upload | undefined,
) {
  const course = await courseForAuthor(db, actor, id);
  const file = await storeUpload(db, deps.store, {
    courseId: course.id,
    kind: 'cover',
    upload,
    userId: actor.id,
  });
  await repo.updateAuthoredCourse(db, course.id, { cover_file_id: file.id });
  return file;
}

/** Saves a block's form (the editor's Save button, or autosave). */
export async function updateBlock(
  db: Db,
  deps: BlockDeps,
  actor: SessionUser,
  id: string,
  blockId: string,
  body: unknown,
) {
  const course = await courseForAuthor(db, actor, id);
  const block = await blockOf(db, course.id, blockId);
  const current = BlockData[block.kind].parse(block.data) as Record<string, unknown>;
  let patch: Record<string, unknown>;
  switch (block.kind) {
    case 'text':
      patch = parseForm(TextBlockForm, body);
      break;
    case 'image':
      patch = parseForm(ImageBlockForm, body);
      break;
    case 'file':
      patch = parseForm(FileBlockForm, body);
      break;
    case 'video': {
      const f = parseForm(VideoBlockForm, body);
      if (current.source === 'link') {
        if (f.url && !videoEmbed(f.url, deps.peertubeHosts))
          throw new ValidationFailed({ url: 'authoring:errors.videoUrl' });
        patch = { url: f.url, title: f.title };
      } else patch = { title: f.title };
      break;
    }
    case 'h5p': {
      const f = parseForm(H5pBlockForm, body);
      let title = '';
      if (f.activity_id) {
        const activity = await findActivityOfKind(db, f.activity_id, 'h5p');
        if (!activity) throw new ValidationFailed({ activity_id: 'authoring:errors.h5pUnknown' });
        title = activity.title;
      }
      patch = { activityId: f.activity_id, title };
      break;
    }
    case 'quiz': {
      const f = parseForm(QuizBlockForm, body);
      patch = { title: f.title, passMark: f.pass_mark };
      break;
    }
  }
  await changeDraft(db, course.id, async (trx) => {
    const locked = await repo.lockBlock(trx, course.id, block.id);
    if (!locked) throw new NotFound('block');
    await repo.updateBlockData(trx, block.id, { ...(locked.data as object), ...patch });
  });
  return { course, block };
}
