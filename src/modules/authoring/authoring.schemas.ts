import { z } from 'zod';
import { LANGUAGES } from '../../platform/i18n.js';

// Messages are i18n keys of the authoring namespace; forms show them next to the field.
export const LICENCES = [
  'all-rights-reserved',
  'cc-by',
  'cc-by-sa',
  'cc-by-nc',
  'cc-by-nc-sa',
  'cc-by-nd',
  'cc-by-nc-nd',
  'cc0',
] as const;
export type Licence = (typeof LICENCES)[number];
export const VISIBILITIES = ['members', 'public'] as const;
export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'short'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const CONTENT_BLOCKS = ['text', 'quiz', 'video-link', 'h5p'] as const;
export const UPLOAD_BLOCKS = ['image', 'file', 'video'] as const;
export type UploadKind = (typeof UPLOAD_BLOCKS)[number];
export const MAX_OPTIONS = 8;

const title = (key = 'authoring:errors.titleRequired') =>
  z.string().trim().min(1, key).max(200, 'authoring:errors.titleTooLong');
const text = (max: number) => z.string().max(max, 'authoring:errors.tooLong').default('');

// ---- what blocks hold (the jsonb `data` of authored_blocks, and the snapshot) ----
export const Option = z.object({
  id: z.string().min(1).max(40),
  text: z.string().max(1000),
  correct: z.boolean(),
  feedback: z.string().max(2000),
});
export type Option = z.infer<typeof Option>;

export const Question = z.object({
  id: z.string().min(1).max(40),
  type: z.enum(QUESTION_TYPES),
  prompt: z.string().max(2000),
  options: z.array(Option).max(MAX_OPTIONS),
  accepted: z.array(z.string().max(200)).max(20),
  feedbackCorrect: z.string().max(2000),
  feedbackIncorrect: z.string().max(2000),
});
export type Question = z.infer<typeof Question>;

export const TextData = z.object({ markdown: z.string().max(100_000).default('') });
export const ImageData = z.object({
  fileId: z.string(),
  alt: z.string().max(500),
  caption: z.string().max(500).default(''),
});
export const FileData = z.object({ fileId: z.string(), label: z.string().max(200).default('') });
export const VideoData = z.object({
  source: z.enum(['file', 'link']),
  fileId: z.string().optional(),
  url: z.string().max(500).default(''),
  title: z.string().max(200).default(''),
});
export const H5pData = z.object({
  activityId: z.string().max(60).default(''),
  title: z.string().max(200).default(''),
});
export const QuizData = z.object({
  title: z.string().max(200).default(''),
  passMark: z.number().int().min(0).max(100).default(80),
  questions: z.array(Question).max(50).default([]),
});

export const BlockData = {
  text: TextData,
  image: ImageData,
  file: FileData,
  video: VideoData,
  h5p: H5pData,
  quiz: QuizData,
} as const;
export type BlockKind = keyof typeof BlockData;
export type BlockDataOf<K extends BlockKind> = z.infer<(typeof BlockData)[K]>;
export const BLOCK_KINDS = Object.keys(BlockData) as BlockKind[];

export type Block =
  | ({ id: string; kind: 'text' } & BlockDataOf<'text'>)
  | ({ id: string; kind: 'image' } & BlockDataOf<'image'>)
  | ({ id: string; kind: 'file' } & BlockDataOf<'file'>)
  | ({ id: string; kind: 'video' } & BlockDataOf<'video'>)
  | ({ id: string; kind: 'h5p' } & BlockDataOf<'h5p'>)
  | ({ id: string; kind: 'quiz' } & BlockDataOf<'quiz'>);
export type QuizBlock = Extract<Block, { kind: 'quiz' }>;

/** The frozen JSON of a published version: everything learners and exports need. */
export interface Snapshot {
  format: 1;
  authoredCourseId: string;
  version: number;
  title: string;
  description: string;
  language: (typeof LANGUAGES)[number];
  licence: Licence;
  attribution: string;
  author: { id: string; name: string };
  coverFileId: string | null;
  publishedAt: string;
  sections: { id: string; title: string; lessons: { id: string; title: string; blocks: Block[] }[] }[];
  files: Record<string, { name: string; mediaType: string; size: number; sha256: string; kind: string }>;
}

// ---- forms ----
export const CourseDetailsForm = z.object({
  title: title(),
  description: text(5000),
  language: z.enum(LANGUAGES, { message: 'authoring:errors.language' }),
  licence: z.enum(LICENCES, { message: 'authoring:errors.licence' }),
  attribution: text(500),
  visibility: z.enum(VISIBILITIES, { message: 'authoring:errors.visibility' }).default('members'),
});
export type CourseDetailsForm = z.infer<typeof CourseDetailsForm>;

export const NewCourseForm = CourseDetailsForm.pick({ title: true, language: true });
export const TitleForm = z.object({ title: title() });
export const NewLessonForm = z.object({
  title: title(),
  section_id: z.uuid({ message: 'authoring:errors.section' }),
});
export const LessonForm = z.object({
  title: title(),
  section_id: z.uuid({ message: 'authoring:errors.section' }).optional(),
});
export const MoveForm = z.object({ direction: z.enum(['up', 'down']) });
export type Direction = z.infer<typeof MoveForm>['direction'];
export const ReorderForm = z.object({
  scope: z.enum(['sections', 'lessons', 'blocks']),
  parent: z.uuid().optional(),
  ids: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.uuid()).min(1).max(500)),
});
export const NewBlockForm = z.object({
  kind: z.enum(CONTENT_BLOCKS, { message: 'authoring:errors.blockKind' }),
});
export const UploadForm = z.object({
  kind: z.enum(UPLOAD_BLOCKS, { message: 'authoring:errors.blockKind' }),
  alt: z.string().trim().max(500, 'authoring:errors.tooLong').default(''),
  label: z.string().trim().max(200, 'authoring:errors.tooLong').default(''),
});

export const TextBlockForm = z.object({
  markdown: z.string().max(100_000, 'authoring:errors.tooLong').default(''),
});
export const ImageBlockForm = z.object({
  alt: z.string().trim().min(1, 'authoring:errors.altRequired').max(500, 'authoring:errors.tooLong'),
  caption: z.string().trim().max(500, 'authoring:errors.tooLong').default(''),
});
export const FileBlockForm = z.object({
  label: z.string().trim().max(200, 'authoring:errors.tooLong').default(''),
});
export const VideoBlockForm = z.object({
  url: z.string().trim().max(500, 'authoring:errors.tooLong').default(''),
  title: z.string().trim().max(200, 'authoring:errors.tooLong').default(''),
});
export const H5pBlockForm = z.object({
  activity_id: z
    .string()
    .trim()
    .max(60)
    .refine((v) => v === '' || z.uuid().safeParse(v).success, 'authoring:errors.h5pId')
    .default(''),
});
export const QuizBlockForm = z.object({
  title: z.string().trim().max(200, 'authoring:errors.tooLong').default(''),
  pass_mark: z.coerce
    .number({ message: 'authoring:errors.passMark' })
    .int('authoring:errors.passMark')
    .min(0, 'authoring:errors.passMark')
    .max(100, 'authoring:errors.passMark'),
});
export const NewQuestionForm = z.object({
  type: z.enum(QUESTION_TYPES, { message: 'authoring:errors.questionType' }),
});

const optionalText = (max: number) => z.string().max(max, 'authoring:errors.tooLong').optional().default('');
export const QuestionForm = z.object({
  prompt: z.string().trim().min(1, 'authoring:errors.promptRequired').max(2000, 'authoring:errors.tooLong'),
  // option_text_0 … option_text_7, option_feedback_N, option_correct (radio) or option_correct_N (checkbox)
  accepted: optionalText(4000),
  feedback_correct: optionalText(2000),
  feedback_incorrect: optionalText(2000),
});

export const PreviewForm = z.object({ markdown: z.string().max(100_000).default('') });
export const ExportFormat = z.enum(['scorm12', 'scorm2004', 'cmi5', 'html']);
export type ExportFormat = z.infer<typeof ExportFormat>;
export const QuizAnswerValue = z.union([
  z.string().max(2000),
  z.array(z.string().max(2000)).max(MAX_OPTIONS),
]);
