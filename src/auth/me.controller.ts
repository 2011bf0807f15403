import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from './current-user.decorator.js';
import { PrincipalResponse } from './dto/principal.response.js';
import type { Principal } from './principal.js';

@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ operationId: 'getMe', summary: 'The caller, as identified by their bearer token' })
  @ApiOkResponse({ type: PrincipalResponse, description: 'The principal the bearer token identifies' })
  me(@CurrentUser() user: Principal): PrincipalResponse {
    return PrincipalResponse.from(user);
  }
}
