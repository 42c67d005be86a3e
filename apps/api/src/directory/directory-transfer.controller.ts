import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CurrentPrincipal, Roles } from '@helpline/auth';
import type { Principal } from '@helpline/auth';
import { CSV_FILE_NAMES, DirectoryService, DirectoryValidationError } from '@helpline/directory';
import { DirectoryErrorsInterceptor } from './directory-errors';
import { Answers } from '../common/response-schema';
import { DIRECTORY_EXPORT, IMPORT_SUMMARY } from './directory.responses';

const FORMATS = ['json', 'csv'] as const;
/** The media type of a large import: JSON the general body parser leaves alone, read here after authentication. */
const LARGE_IMPORT_TYPE = 'application/vnd.hsds+json';
const LARGE_IMPORT_BYTES = 20 * 1024 * 1024;
type TransferFormat = (typeof FORMATS)[number];

export class TransferFormatQueryDto {
  @ApiPropertyOptional({
    enum: [...FORMATS],
    default: 'json',
    description: 'json: one HSDS 3 document. csv: an object of HSDS CSV file name -> CSV text',
  })
  @IsOptional()
  @IsIn([...FORMATS], { message: `format must be one of: ${FORMATS.join(', ')}` })
  format?: TransferFormat;
}

const summaryExample = {
  created: { organization: 9, location: 13, service: 21, taxonomy_term: 0 },
  changed: { organization: 0, location: 0, service: 0, taxonomy_term: 0 },
  unchanged: { organization: 0, location: 0, service: 0, taxonomy_term: 0 },
};
const documentExample = {
  x_format: 'helpline-directory/hsds-3',
  hsds_version: '3.0',
  x_time_zone: 'Europe/Rome',
  taxonomy_terms: [],
  organizations: [
    {
      id: 'esempio-asst-centro',
      name: 'ASST Milano Centro (esempio)',
      x_status: 'active',
      phones: [],
      locations: [],
      services: [
        {
          id: 'esempio-serd-centro',
          name: 'SerD Centro (esempio)',
          status: 'active',
          x_service_type: 'serd',
          x_handoff_contact: { desk_name: 'Referente invii', phone: '+39 02 0000 1101', response_time_hours: 48 },
        },
      ],
    },
  ],
};
const csvExample = {
  'organizations.csv':
    'id,name,alternate_name,description,email,website,x_status\r\nesempio-asst-centro,ASST Milano Centro (esempio),,,,,active\r\n',
  'services.csv': 'id,organization_id,name,...\r\n',
};

/**
 * The whole directory in and out, as Open Referral HSDS 3: one JSON document, or its CSV tables. An import
 * upserts by id in one transaction (all or nothing), audits each creation and change with the administrator,
 * and never retires or deletes what the file does not name. Import then export gives back the same data.
 *
 * Over HTTP the CSV tables travel as one JSON object, file name -> CSV text (the same object in both
 * directions), so a client needs no archive format; GET /directory/export/{file} gives one table as text/csv.
 * An `application/json` body is held to the API's general limit (100 kB, about 40 services); a whole city's
 * directory is sent as `application/vnd.hsds+json` (up to 20 MB), read only once the caller is known to be an
 * administrator. The CLI imports files and folders of any size (`npm run cli -- directory import <file|folder>`).
 */
@ApiTags('directory')
@ApiBearerAuth()
@Controller('directory')
@Roles('admin')
@UseInterceptors(DirectoryErrorsInterceptor)
export class DirectoryTransferController {
  constructor(private readonly directory: DirectoryService) {}

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Import an HSDS 3 JSON document (format=json) or HSDS CSV tables as { "organizations.csv": "...", ... } (format=csv)',
  })
  @ApiConsumes('application/json', LARGE_IMPORT_TYPE)
  @ApiBody({
    schema: {
      type: 'object',
      example: documentExample,
      description: `The HSDS document, or for format=csv an object of file name -> CSV text. As application/json up to 100 kB; as ${LARGE_IMPORT_TYPE} up to 20 MB`,
    },
  })
  @Answers(200, IMPORT_SUMMARY, summaryExample)
  async import(
    @Query() query: TransferFormatQueryDto,
    @Body() parsed: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    const body = request.is(LARGE_IMPORT_TYPE) ? await readJson(request, LARGE_IMPORT_BYTES) : parsed;
    if ((query.format ?? 'json') === 'json') return this.directory.importJson(principal.id, body);
    return this.directory.importCsvFiles(principal.id, csvFiles(body));
  }

  @Get('export')
  @ApiOperation({
    summary:
      'Export the whole directory (retired entries included): an HSDS 3 document, or an object of CSV file name -> CSV text',
  })
  @ApiOkResponse({
    content: {
      'application/json': {
        schema: DIRECTORY_EXPORT,
        examples: {
          json: { summary: 'format=json', value: documentExample },
          csv: { summary: 'format=csv', value: csvExample },
        },
      },
    },
  })
  export(@Query() query: TransferFormatQueryDto) {
    return (query.format ?? 'json') === 'json' ? this.directory.exportJson() : this.directory.exportCsvFiles();
  }

  @Get('export/:file')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: `One HSDS CSV table of the directory (${CSV_FILE_NAMES.join(', ')})` })
  @ApiOkResponse({
    description: 'RFC 4180 CSV, header first, CRLF, UTF-8',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async exportFile(@Param('file') file: string, @Res({ passthrough: true }) response: Response) {
    if (!(CSV_FILE_NAMES as readonly string[]).includes(file)) {
      throw new NotFoundException({
        code: 'NOT_FOUND',
        reason: 'there is no such HSDS table',
        errors: [{ field: 'file', reason: `must be one of: ${CSV_FILE_NAMES.join(', ')}` }],
      });
    }
    const text = (await this.directory.exportCsvFiles())[file];
    // Set here, not with @Header: an error answer must keep its JSON content type.
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    return text;
  }
}

/** Reads a JSON body of at most `limit` bytes: 413 beyond it, 400 when it is not JSON. */
async function readJson(request: Request, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit)
      throw new PayloadTooLargeException({
        code: 'PAYLOAD_TOO_LARGE',
        reason: `an import is at most ${limit / 1024 / 1024} MB; use the CLI for bigger files`,
      });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequestException({ code: 'MALFORMED_REQUEST', reason: 'the request body is not valid JSON' });
  }
}

function csvFiles(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new DirectoryValidationError('body', 'must be an object of HSDS CSV file name -> CSV text');
  for (const [name, text] of Object.entries(body)) {
    if (!(CSV_FILE_NAMES as readonly string[]).includes(name))
      throw new DirectoryValidationError(name, `is not an HSDS table of this directory (${CSV_FILE_NAMES.join(', ')})`);
    if (typeof text !== 'string') throw new DirectoryValidationError(name, 'must be the CSV text of the file');
  }
  return body as Record<string, string>;
}
