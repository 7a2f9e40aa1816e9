import { searchInput } from "../../search";
import { searchCourse } from "../../search/course-search";
import { createTRPCRouter, publicProcedure } from "../init";

/** Site search: public, like the pages it finds (lessons and transcripts are public). */
export const searchRouter = createTRPCRouter({
  query: publicProcedure.input(searchInput).query(({ ctx, input }) => searchCourse(ctx.db.prisma, input)),
});
