import { Module } from '@nestjs/common';
import { QualificationModule } from '../qualification/qualification.module.js';
import { DistrictController } from './district.controller.js';
import { SignInController } from './sign-in.controller.js';

/** The German web interface under /app: server-rendered pages on the same services as the API. */
@Module({
  imports: [QualificationModule],
  controllers: [SignInController, DistrictController],
})
export class WebModule {}
